using System.Security.Cryptography;
using System.Text;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>
/// SCRAM-SHA-256 as a client speaks it (RFC 5802 with SHA-256, RFC 7677), without channel binding: PostgreSQL's
/// default password exchange since version 14. The password never crosses the wire; the server's final message proves
/// that it knows the password too, and a server that cannot prove it is refused.
/// </summary>
internal sealed class ScramSha256
{
    /// <summary>The GS2 header "n,," (no channel binding, no authorisation identity), base64: what the final message echoes.</summary>
    private const string ChannelBinding = "c=biws";

    private readonly string _password;
    private readonly string _clientFirstBare;
    private readonly string _clientNonce;
    private byte[]? _serverSignature;

    /// <param name="user">The name in the first message: PostgreSQL ignores it (the startup message named the user) and libpq sends it empty.</param>
    /// <param name="nonce">Fixed only by the RFC's test vector; otherwise 18 random bytes.</param>
    public ScramSha256(string password, string user = "", string? nonce = null)
    {
        _password = password;
        _clientNonce = nonce ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _clientFirstBare = $"n={user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_clientNonce}";
    }

    public const string Mechanism = "SCRAM-SHA-256";

    public string ClientFirst => "n,," + _clientFirstBare;

    /// <summary>The client's proof, from the server's first message (its nonce, salt and iteration count).</summary>
    public string ClientFinal(string serverFirst)
    {
        string? nonce = null;
        byte[]? salt = null;
        var iterations = 0;
        foreach (var attribute in serverFirst.Split(','))
        {
            if (attribute.StartsWith("r=", StringComparison.Ordinal))
            {
                nonce = attribute[2..];
            }
            else if (attribute.StartsWith("s=", StringComparison.Ordinal))
            {
                salt = Convert.FromBase64String(attribute[2..]);
            }
            else if (attribute.StartsWith("i=", StringComparison.Ordinal))
            {
                iterations = int.Parse(attribute[2..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        if (nonce is null || salt is null || iterations < 1 || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
        {
            throw new LeanPgConnectionException("the server's SCRAM-SHA-256 challenge is malformed or does not continue the client's nonce");
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var withoutProof = $"{ChannelBinding},r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");
        var proof = HMACSHA256.HashData(storedKey, authMessage);
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] ^= clientKey[i];
        }

        _serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), authMessage);
        return $"{withoutProof},p={Convert.ToBase64String(proof)}";
    }

    /// <summary>Checks the server's signature; throws when it is wrong or the server reports an error.</summary>
    public void VerifyServerFinal(string serverFinal)
    {
        var verifier = serverFinal.Split(',').FirstOrDefault(a => a.StartsWith("v=", StringComparison.Ordinal));
        if (_serverSignature is null || verifier is null
            || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(verifier[2..]), _serverSignature))
        {
            throw new LeanPgConnectionException("the server did not prove that it knows the password (SCRAM-SHA-256 server signature)");
        }
    }
}
