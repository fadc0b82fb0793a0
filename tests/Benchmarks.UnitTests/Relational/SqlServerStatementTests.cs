using Benchmarks.Stores.Relational.Postgres;
using Benchmarks.Stores.Relational.Registry;
using Benchmarks.Stores.Relational.SqlServer;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Benchmarks.UnitTests.Relational;

/// <summary>
/// No SQL Server runs on these machines, so every T-SQL statement the driver issues is parsed offline
/// by Microsoft's own parser (the one SSMS and SqlPackage use), at Azure SQL's language level.
/// </summary>
public sealed class SqlServerStatementTests
{
    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    public static TheoryData<string, string> SqlServerStatements()
    {
        var data = new TheoryData<string, string>();
        var statements = new SqlServerDialect(new RegistrySettings("Server=x", RegistryAuthentication.ConnectionString, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), false, new RegistryShape(1, 64, 1))).Statements;
        var i = 0;
        foreach (var statement in statements.All.Append(SqlServerDialect.PopulateStatus))
        {
            data.Add($"{i++}: {statement.Split('\n')[0].Trim()}", statement);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SqlServerStatements))]
    public void Every_statement_of_the_SQL_Server_driver_is_valid_T_SQL(string label, string statement)
    {
        var errors = Parse(statement);
        Assert.True(errors.Count == 0, $"{label}: {string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}"))}");
    }

    [Fact]
    public void The_parser_rejects_what_SQL_Server_would_so_the_checks_above_can_fail()
    {
        // PostgreSQL's dialect is not T-SQL: LIMIT, ::jsonb casts and tsvector's @@ must be refused.
        var postgres = new PostgresDialect(new RegistrySettings("local", RegistryAuthentication.ConnectionString, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), true, new RegistryShape(1, 64, 1))).Statements;
        Assert.NotEmpty(Parse(postgres.Latest));
        Assert.NotEmpty(Parse(postgres.Register));
        Assert.NotEmpty(Parse(postgres.SearchTags));
        Assert.NotEmpty(Parse("SELECT TOP 1 FROM dbo.model_registry"));
    }

    [Fact]
    public void The_search_condition_needs_every_word()
    {
        var dialect = new SqlServerDialect(new RegistrySettings("Server=x", RegistryAuthentication.ConnectionString, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), false, new RegistryShape(1, 64, 1)));
        Assert.Equal("\"nlp\" AND \"pytorch\"", dialect.SearchQuery(["nlp", "pytorch"]));
        // The condition is valid inside CONTAINS.
        Assert.Empty(Parse($"SELECT 1 FROM dbo.model_registry WHERE CONTAINS(tags, N'{dialect.SearchQuery(["nlp", "pytorch"])}');"));
    }
}
