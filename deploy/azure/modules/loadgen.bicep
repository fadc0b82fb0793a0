// The load generator: a Linux VM in the stores' region (its clock and network are what every latency is
// measured with), with a managed identity for Entra ID access and .NET installed by cloud-init.
@description('Azure region of every resource.')
param location string

@description('Name prefix of the VM and its network.')
param name string

@description('VM size: at least 4 vCPUs so the generator does not share cores with the OS (D4s_v5 by default).')
param vmSize string

@description('Administrator user of the VM.')
param adminUsername string

@description('SSH public key of the administrator (no password login).')
param sshPublicKey string

@description('An address allowed to SSH in (empty: no public IP, reach it through Bastion or a peered network).')
param allowedClientIp string

var withPublicIp = !empty(allowedClientIp)

resource nsg 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: '${name}-nsg'
  location: location
  properties: {
    securityRules: withPublicIp ? [
      {
        name: 'ssh-from-client'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: allowedClientIp
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '22'
        }
      }
    ] : []
  }
}

resource network 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: '${name}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [ '10.42.0.0/16' ] }
    subnets: [
      {
        name: 'load'
        properties: {
          addressPrefix: '10.42.0.0/24'
          networkSecurityGroup: { id: nsg.id }
        }
      }
    ]
  }
}

resource publicIp 'Microsoft.Network/publicIPAddresses@2025-05-01' = if (withPublicIp) {
  name: '${name}-ip'
  location: location
  sku: { name: 'Standard' }
  properties: { publicIPAllocationMethod: 'Static' }
}

resource nic 'Microsoft.Network/networkInterfaces@2025-05-01' = {
  name: '${name}-nic'
  location: location
  properties: {
    // Accelerated networking: the host's network stack is not in every request's path (lower, steadier latency).
    enableAcceleratedNetworking: true
    ipConfigurations: [
      {
        name: 'ipconfig'
        properties: {
          subnet: { id: network.properties.subnets[0].id }
          privateIPAllocationMethod: 'Dynamic'
          publicIPAddress: withPublicIp ? { id: publicIp.id } : null
        }
      }
    ]
  }
}

// Installs the .NET SDK the harness builds with, and git to fetch it.
var cloudInit = '''
#cloud-config
package_update: true
packages: [ git, curl ]
runcmd:
  - curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
  - bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet
  - ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
'''

resource vm 'Microsoft.Compute/virtualMachines@2025-04-01' = {
  name: name
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    hardwareProfile: { vmSize: vmSize }
    osProfile: {
      computerName: name
      adminUsername: adminUsername
      customData: base64(cloudInit)
      linuxConfiguration: {
        disablePasswordAuthentication: true
        ssh: {
          publicKeys: [ { path: '/home/${adminUsername}/.ssh/authorized_keys', keyData: sshPublicKey } ]
        }
      }
    }
    storageProfile: {
      imageReference: {
        publisher: 'Canonical'
        offer: 'ubuntu-24_04-lts'
        sku: 'server'
        version: 'latest'
      }
      osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Premium_LRS' } }
    }
    networkProfile: { networkInterfaces: [ { id: nic.id } ] }
  }
}

@description('The VM\'s managed identity: granted data access to the storage account.')
output principalId string = vm.identity.principalId

@description('Where to SSH (empty without a public IP).')
output publicIpAddress string = withPublicIp ? publicIp!.properties.ipAddress : ''
