// Azure Database for PostgreSQL flexible server: the ML metadata and registry scenarios.
@description('Azure region of every resource.')
param location string

@description('Globally unique server name.')
param serverName string

@description('Administrator login (the password is a secure parameter, given at deployment, never an output).')
param administratorLogin string

@secure()
@description('Administrator password; give it to the scenarios as PGPASSWORD, which Npgsql reads.')
param administratorPassword string

@description('Compute SKU name, e.g. Standard_D2ds_v5 (GeneralPurpose) or Standard_B2s (Burstable).')
param skuName string

@description('GeneralPurpose, MemoryOptimized or Burstable: must match the SKU.')
@allowed([ 'Burstable', 'GeneralPurpose', 'MemoryOptimized' ])
param skuTier string

@description('Storage in GiB.')
param storageSizeGB int

@description('An address allowed through the firewall besides Azure services (empty: none).')
param allowedClientIp string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: serverName
  location: location
  sku: { name: skuName, tier: skuTier }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    storage: { storageSizeGB: storageSizeGB }
    highAvailability: { mode: 'Disabled' }
    network: { publicNetworkAccess: 'Enabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: 'registry'
}

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

resource allowClient 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = if (!empty(allowedClientIp)) {
  parent: server
  name: 'bench-client'
  properties: { startIpAddress: allowedClientIp, endIpAddress: allowedClientIp }
}

@description('PG_CONNECTION of the scenarios, without the password (PGPASSWORD).')
output connection string = 'Host=${server.properties.fullyQualifiedDomainName};Database=${database.name};Username=${administratorLogin};SSL Mode=Require'
