// Cosmos DB for NoSQL: the account, database `bench` and the containers the scenarios use, each with the
// partition key the harness writes (scenarios/cosmos-*.yaml: `partitioning` single → /userId, synthetic → /pk).
@description('Azure region of every resource.')
param location string

@description('Globally unique account name.')
param accountName string

@description('Throughput of each container (manual RU/s); the scenarios read 500–1000 ops/s of ~1 RU point reads.')
@minValue(400)
param containerThroughput int

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    // One region, beside the load generator: latency is measured, not replication.
    locations: [ { locationName: location, failoverPriority: 0, isZoneRedundant: false } ]
    disableLocalAuth: false
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-10-15' = {
  parent: account
  name: 'bench'
  properties: { resource: { id: 'bench' } }
}

// Container name → partition key paths, as each scenario declares them.
var containers = [
  { name: 'features', paths: [ '/userId' ] }
  { name: 'feature-buckets', paths: [ '/pk' ] }
  { name: 'profiles', paths: [ '/userId' ] }
]

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-10-15' = [for c in containers: {
  parent: database
  name: c.name
  properties: {
    resource: {
      id: c.name
      partitionKey: { paths: c.paths, kind: 'Hash' }
    }
    options: { throughput: containerThroughput }
  }
}]

@description('COSMOS_ENDPOINT of the scenarios.')
output endpoint string = account.properties.documentEndpoint

@description('The account name (its key: az cosmosdb keys list).')
output name string = account.name
