// A Synapse workspace: its built-in serverless SQL pool runs the training-data queries over the Parquet files
// in the storage account's `lake` container. No dedicated pool: serverless is billed per TB scanned.
@description('Azure region of every resource.')
param location string

@description('Globally unique workspace name.')
param workspaceName string

@description('The Data Lake endpoint (https://ACCOUNT.dfs.core.windows.net/) of the workspace\'s default file system.')
param dfsEndpoint string

@description('Administrator login of the workspace\'s SQL endpoints (Entra ID only authentication is enforced; it is never used).')
param sqlAdministratorLogin string

@description('An address allowed through the workspace firewall besides Azure services (empty: none).')
param allowedClientIp string

resource workspace 'Microsoft.Synapse/workspaces@2021-06-01' = {
  name: workspaceName
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    defaultDataLakeStorage: {
      accountUrl: dfsEndpoint
      filesystem: 'lake'
    }
    sqlAdministratorLogin: sqlAdministratorLogin
    azureADOnlyAuthentication: true
  }
}

resource allowAzure 'Microsoft.Synapse/workspaces/firewallRules@2021-06-01' = {
  parent: workspace
  name: 'AllowAllWindowsAzureIps'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource allowClient 'Microsoft.Synapse/workspaces/firewallRules@2021-06-01' = if (!empty(allowedClientIp)) {
  parent: workspace
  name: 'bench-client'
  properties: { startIpAddress: allowedClientIp, endIpAddress: allowedClientIp }
}

@description('The workspace\'s managed identity: it reads the lake.')
output principalId string = workspace.identity.principalId

@description('SYNAPSE_CONNECTION of the scenarios: the serverless endpoint, Entra ID.')
output connection string = 'Server=tcp:${workspace.properties.connectivityEndpoints.sqlOnDemand},1433;Database=master;Encrypt=true;Authentication=Active Directory Default'
