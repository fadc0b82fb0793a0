// Azure Cache for Redis: the cache of the feature-serving scenarios. TLS only (port 6380).
@description('Azure region of every resource.')
param location string

@description('Globally unique cache name.')
param cacheName string

@description('Basic, Standard or Premium. Standard (a replica) is what a production cache runs; Premium for the 1M ops/s tier.')
@allowed([ 'Basic', 'Standard', 'Premium' ])
param skuName string

@description('Capacity within the SKU family: C0–C6 for Basic/Standard, P1–P5 for Premium.')
@minValue(0)
@maxValue(6)
param capacity int

resource cache 'Microsoft.Cache/redis@2024-11-01' = {
  name: cacheName
  location: location
  properties: {
    sku: {
      name: skuName
      family: skuName == 'Premium' ? 'P' : 'C'
      capacity: capacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    redisConfiguration: {
      // Keys the scenarios preload are not evicted under their own load.
      'maxmemory-policy': 'noeviction'
    }
  }
}

@description('REDIS_CONNECTION of the scenarios (the password: az redis list-keys).')
output connection string = '${cache.properties.hostName}:${cache.properties.sslPort},ssl=true,abortConnect=false'

@description('The cache name.')
output name string = cache.name
