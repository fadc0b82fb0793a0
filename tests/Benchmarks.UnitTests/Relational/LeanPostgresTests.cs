using Benchmarks.Core.Workload;
using Benchmarks.Stores.Relational.Postgres;
using Benchmarks.Stores.Relational.Postgres.Lean;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.UnitTests.Relational;

/// <summary>The lean PostgreSQL client's pieces that need no server: statement numbering, the password exchanges, the endpoint.</summary>
public sealed class LeanPostgresTests
{
    [Theory]
    [InlineData("SELECT * FROM t WHERE a = @name AND b = @version", new[] { "name", "version" }, "SELECT * FROM t WHERE a = $1 AND b = $2", new[] { 0, 1 })]
    // Numbered in order of appearance, whatever order the operation passes them in; a repeated name keeps its number.
    [InlineData("SELECT 1 WHERE s = @status LIMIT @limit OFFSET @offset", new[] { "status", "offset", "limit" }, "SELECT 1 WHERE s = $1 LIMIT $2 OFFSET $3", new[] { 0, 2, 1 })]
    [InlineData("SELECT @a + @b + @a", new[] { "b", "a" }, "SELECT $1 + $2 + $1", new[] { 1, 0 })]
    // PostgreSQL's own @ and @@ operators, a cast, a literal, a quoted name and comments are not parameters.
    [InlineData("SELECT 1 WHERE v @@ plainto_tsquery('simple', @query) AND @x > 0 AND m = @m::jsonb", new[] { "query", "m" }, "SELECT 1 WHERE v @@ plainto_tsquery('simple', $1) AND @x > 0 AND m = $2::jsonb", new[] { 0, 1 })]
    [InlineData("SELECT '@a', \"@a\", 'it''s @a' -- @a\n, @a /* @a */", new[] { "a" }, "SELECT '@a', \"@a\", 'it''s @a' -- @a\n, $1 /* @a */", new[] { 0 })]
    public void Statements_are_numbered_as_npgsql_numbers_them(string text, string[] arguments, string expected, int[] order)
    {
        var statement = new LeanPgStatement(text, arguments);
        Assert.Equal(expected, statement.Text);
        Assert.Equal(order, statement.Order);
    }

    [Fact]
    public async Task Every_registry_operation_has_its_lean_form()
    {
        // Statements and arguments as the scenario gives them; no connection is opened until an operation runs.
        var scenario = TestScenarios.Load("""
            name: r
            store: { kind: postgres, connection: local, client: lean }
            data: { keys: 100, keyPrefix: "m-" }
            workload:
              mix: [ { op: lookup }, { op: sql, statement: "SELECT @a, @b, @c, @d, @e, @f, @g, @h", parameters: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: "{tag}" } } ]
            load: { executor: constant-concurrency, concurrency: 1, duration: 1s }
            """);
        var settings = (RegistrySettings)scenario.Store.Settings!;
        var driver = new RegistryDriver("postgres", settings, new PostgresDialect(settings));
        var model = new RegistryModel(1, "m-", settings.Shape);
        var workload = new WorkloadContext(1, "m-", scenario.Workload.Distribution.Create(100), new ValueGenerator(scenario.Data.Value, 1));
        await using var pool = new LeanPgPool(LeanPgEndpoint.From("Host=127.0.0.1;Username=u", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), 1, prepare: true);
        var sql = (RegistryOperationSettings)scenario.Workload.Mix[1].Settings!;
        foreach (var name in RegistryOperations.Names)
        {
            Assert.NotNull(LeanRegistryOperations.Create(name, pool, driver, sql, model, workload));
        }

        await driver.DisposeAsync();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(123_456_789L)]
    [InlineData(long.MaxValue)]
    public void A_numbered_argument_writes_the_model_name_a_run_through_npgsql_sends(long index)
    {
        // The lean client writes a model's name from its prefix and number; Npgsql's path makes the string.
        var model = new RegistryModel(1, "modèle-", new RegistryShape(VersionsPerModel: 4, MetadataBytes: 10, TagsPerModel: 1));
        var expected = System.Text.Encoding.UTF8.GetBytes(model.Key(index).Name);
        var numbered = PgText.Numbered(model.NamePrefix, model.ModelOf(index));
        var buffer = new byte[numbered.MaxByteCount];
        var written = numbered.WriteUtf8(buffer);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(model.Key(index).Name, numbered.ToString());
        Assert.False(numbered.IsNull);
    }

    [Fact]
    public void A_text_argument_writes_its_utf8_and_null_is_null()
    {
        PgText text = "1.2.0 ✓";
        var buffer = new byte[text.MaxByteCount];
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes("1.2.0 ✓"), buffer[..text.WriteUtf8(buffer)]);
        Assert.True(((PgText)(string?)null).IsNull);
        Assert.True(default(PgText).IsNull);
    }

    [Fact]
    public void Scram_sha_256_matches_the_rfc_7677_test_vector()
    {
        // RFC 7677 section 3: user "user", password "pencil", the client nonce fixed.
        var scram = new ScramSha256("pencil", "user", "rOprNGfwEbeRWgbNEkqO");
        Assert.Equal("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", scram.ClientFirst);
        var final = scram.ClientFinal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        Assert.Equal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", final);
        scram.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        Assert.Throws<LeanPgConnectionException>(() => scram.VerifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }

    [Fact]
    public void A_server_nonce_that_does_not_continue_the_clients_is_refused()
    {
        var scram = new ScramSha256("pencil", "user", "rOprNGfwEbeRWgbNEkqO");
        Assert.Throws<LeanPgConnectionException>(() => scram.ClientFinal("r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
    }

    [Fact]
    public void The_md5_answer_is_postgresqls()
    {
        // md5 + hex(md5(hex(md5("secret" + "alice")) + salt)), computed independently with Python's hashlib.
        Assert.Equal("md598a0412b9c31436fc53776e863350083", LeanPgConnection.Md5Answer("secret", "alice", [1, 2, 3, 4]));
    }

    [Fact]
    public void The_endpoint_follows_npgsqls_reading_of_the_connection_string_and_never_prints_the_password()
    {
        var endpoint = LeanPgEndpoint.From("Host=db.example.com;Port=6432;Database=reg;Username=u;Password=Hunter2-secret;SSL Mode=Require", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(9));
        Assert.Equal(("db.example.com", 6432, "reg", "u", "Hunter2-secret", LeanPgTls.Require), (endpoint.Host, endpoint.Port, endpoint.Database, endpoint.User, endpoint.Password, endpoint.Tls));
        Assert.Equal("db.example.com:6432/reg", endpoint.ToString());
        Assert.Equal(LeanPgTls.Prefer, LeanPgEndpoint.From("Host=h;Username=u", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).Tls);
        Assert.Equal(LeanPgTls.VerifyFull, LeanPgEndpoint.From("Host=h;Username=u;SSL Mode=VerifyFull", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).Tls);
        Assert.Null(LeanPgEndpoint.Problem("Host=h;Username=u;Password=p"));
    }
}
