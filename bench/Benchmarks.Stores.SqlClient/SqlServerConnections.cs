using Azure.Core;
using Microsoft.Data.SqlClient;

namespace Benchmarks.Stores.SqlClient;

/// <summary>
/// Opens SqlClient connections, with a Microsoft Entra ID token when a credential is given: the one way Azure
/// SQL (the registry) and Synapse (the analytics store) are reached, shared by both store projects.
/// </summary>
public static class SqlServerConnections
{
    private static readonly TokenRequestContext DatabaseScope = new(["https://database.windows.net/.default"]);

    public static async Task<SqlConnection> OpenAsync(string connectionString, TokenCredential? credential, CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(connectionString);
        if (credential is not null)
        {
            connection.AccessTokenCallback = async (_, token) =>
            {
                var access = await credential.GetTokenAsync(DatabaseScope, token);
                return new SqlAuthenticationToken(access.Token, access.ExpiresOn);
            };
        }

        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
