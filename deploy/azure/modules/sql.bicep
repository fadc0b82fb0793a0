// Azure SQL Database for the model registry. The harness creates the registry table (model_registry) on its
// first run's preload, with the same DDL it uses locally; the database is the unit of size here.
@description('Azure region of every resource.')
param location string

@description('Globally unique logical server name.')
param serverName string

@description('Entra ID group or user that administers the server (its display name).')
param entraAdminLogin string

@description('Object id of that Entra ID principal.')
param entraAdminObjectId string

@description('Database SKU: GP_Gen5_2 (vCore) by default; the registry scenario needs 2 000 small queries/s.')
param skuName string

@description('Addresses allowed through the server firewall besides Azure services (the load generator reaches it inside Azure).')
param allowedClientIp string

resource server 'Microsoft.Sql/servers@2025-01-01' = {
  name: serverName
  location: location
  properties: {
    minimalTlsVersion: '1.2'
    // Entra ID only: no SQL password exists to leak into a connection string or a report.
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: entraAdminLogin
      sid: entraAdminObjectId
      tenantId: tenant().tenantId
      principalType: 'Group'
    }
  }
}

resource database 'Microsoft.Sql/servers/databases@2025-01-01' = {
  parent: server
  name: 'registry'
  location: location
  sku: { name: skuName }
}

resource allowAzure 'Microsoft.Sql/servers/firewallRules@2025-01-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource allowClient 'Microsoft.Sql/servers/firewallRules@2025-01-01' = if (!empty(allowedClientIp)) {
  parent: server
  name: 'bench-client'
  properties: { startIpAddress: allowedClientIp, endIpAddress: allowedClientIp }
}

@description('AZURE_SQL_CONNECTION of the scenarios: Entra ID through the load generator\'s managed identity or az login.')
output connection string = 'Server=tcp:${server.properties.fullyQualifiedDomainName},1433;Database=${database.name};Encrypt=true;Authentication=Active Directory Default'
