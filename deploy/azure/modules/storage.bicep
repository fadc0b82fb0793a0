// One Data Lake Gen2 storage account: the Parquet files of the Synapse scenario (container `lake`), the model
// artifacts of the Blob scenario (`model-artifacts`) and the run location of scaled-out agents (`bench-runs`).
@description('Azure region of every resource.')
param location string

@description('Globally unique account name (3–24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param accountName string

@description('Principals (managed identities) given Storage Blob Data Contributor: the load generator, the Synapse workspace.')
param dataContributors array

@description('Standard_LRS for a benchmark; Premium_LRS (BlockBlobStorage) to measure premium block blobs.')
param skuName string

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: accountName
  location: location
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    isHnsEnabled: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // Entra ID only: the scenarios take the account URL, and no key exists to leak.
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = [for name in [ 'lake', 'model-artifacts', 'bench-runs' ]: {
  parent: blobs
  name: name
}]

// Storage Blob Data Contributor, a built-in role.
var blobDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')

resource grants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in dataContributors: {
  scope: account
  name: guid(account.id, principalId, blobDataContributor)
  properties: {
    principalId: principalId
    roleDefinitionId: blobDataContributor
    principalType: 'ServicePrincipal'
  }
}]

@description('BLOB_CONNECTION of the scenarios (Entra ID) and BENCH_RUNS_STORAGE of agents.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('The Data Lake endpoint the Synapse workspace and SYNAPSE_SOURCE read.')
output dfsEndpoint string = account.properties.primaryEndpoints.dfs

@description('The account name.')
output name string = account.name
