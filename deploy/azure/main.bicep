// The seed's Azure setup in one resource group and one region: the five stores the scenarios measure and a
// load generator beside them. Outputs are the environment variables the scenarios read (secrets excluded:
// fetch keys with `az`, see the README). Deploy:
//   az deployment group create -g RG -f deploy/azure/main.bicep -p entraAdminLogin=... entraAdminObjectId=... \
//     postgresAdminPassword=... sshPublicKey="$(cat ~/.ssh/id_ed25519.pub)"
targetScope = 'resourceGroup'

@description('Region of every resource: stores and load generator together, so latency is the store\'s, not the WAN\'s.')
param location string = resourceGroup().location

@description('Prefix of every resource name; a hash of the resource group keeps globally unique names unique.')
@minLength(3)
@maxLength(11)
param prefix string = 'bench'

@description('Entra ID principal (group) administering Azure SQL: its display name.')
param entraAdminLogin string

@description('Object id of that principal.')
param entraAdminObjectId string

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'benchadmin'

@secure()
@description('PostgreSQL administrator password (given to the scenarios as PGPASSWORD).')
param postgresAdminPassword string

@description('SSH public key of the load generator\'s administrator.')
param sshPublicKey string

@description('Your address, allowed through the stores\' firewalls and to SSH into the load generator (empty: only Azure).')
param allowedClientIp string = ''

@description('Azure Cache for Redis SKU and capacity.')
@allowed([ 'Basic', 'Standard', 'Premium' ])
param redisSku string = 'Standard'

@minValue(0)
@maxValue(6)
param redisCapacity int = 1

@description('Manual RU/s of each Cosmos DB container.')
@minValue(400)
param cosmosContainerThroughput int = 4000

@description('Azure SQL database SKU.')
param sqlSku string = 'GP_Gen5_2'

@description('PostgreSQL flexible server SKU and tier.')
param postgresSku string = 'Standard_D2ds_v5'

@allowed([ 'Burstable', 'GeneralPurpose', 'MemoryOptimized' ])
param postgresTier string = 'GeneralPurpose'

@minValue(32)
param postgresStorageGB int = 64

@description('Storage account SKU (lake, model artifacts, agents\' run files).')
param storageSku string = 'Standard_LRS'

@description('Load generator VM size.')
param loadGeneratorSize string = 'Standard_D4s_v5'

@description('Load generator administrator user.')
param loadGeneratorAdmin string = 'bench'

var suffix = uniqueString(resourceGroup().id)

module loadGenerator 'modules/loadgen.bicep' = {
  name: 'load-generator'
  params: {
    location: location
    name: '${prefix}-loadgen'
    vmSize: loadGeneratorSize
    adminUsername: loadGeneratorAdmin
    sshPublicKey: sshPublicKey
    allowedClientIp: allowedClientIp
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    accountName: '${prefix}-cosmos-${suffix}'
    containerThroughput: cosmosContainerThroughput
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    location: location
    cacheName: '${prefix}-redis-${suffix}'
    skuName: redisSku
    capacity: redisCapacity
  }
}

module sql 'modules/sql.bicep' = {
  name: 'sql'
  params: {
    location: location
    serverName: '${prefix}-sql-${suffix}'
    entraAdminLogin: entraAdminLogin
    entraAdminObjectId: entraAdminObjectId
    skuName: sqlSku
    allowedClientIp: allowedClientIp
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    serverName: '${prefix}-pg-${suffix}'
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    skuName: postgresSku
    skuTier: postgresTier
    storageSizeGB: postgresStorageGB
    allowedClientIp: allowedClientIp
  }
}

// Storage names: lower-case letters and digits only, at most 24.
var storageName = take(toLower('${replace(prefix, '-', '')}lake${suffix}'), 24)

module synapse 'modules/synapse.bicep' = {
  name: 'synapse'
  params: {
    location: location
    workspaceName: '${prefix}-syn-${suffix}'
    dfsEndpoint: 'https://${storageName}.dfs.${environment().suffixes.storage}/'
    sqlAdministratorLogin: 'benchsql'
    allowedClientIp: allowedClientIp
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    accountName: storageName
    skuName: storageSku
    dataContributors: [ loadGenerator.outputs.principalId, synapse.outputs.principalId ]
  }
}

@description('The environment variables the scenarios read, by name (keys and passwords excluded: see the README).')
output environment object = {
  REDIS_CONNECTION: redis.outputs.connection
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  AZURE_SQL_CONNECTION: sql.outputs.connection
  PG_CONNECTION: postgres.outputs.connection
  SYNAPSE_ENGINE: 'synapse'
  SYNAPSE_CONNECTION: synapse.outputs.connection
  SYNAPSE_SOURCE: '${storage.outputs.dfsEndpoint}lake/events/*.parquet'
  BLOB_CONNECTION: storage.outputs.blobEndpoint
  BENCH_RUNS_STORAGE: storage.outputs.blobEndpoint
}

@description('Names to fetch the keys with: az redis list-keys -n REDIS, az cosmosdb keys list -n COSMOS.')
output redisName string = redis.outputs.name

output cosmosAccountName string = cosmos.outputs.name

@description('Where to SSH into the load generator (empty without allowedClientIp).')
output loadGeneratorAddress string = loadGenerator.outputs.publicIpAddress
