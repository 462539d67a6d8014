using Analytics.Storage.ChDb;

namespace Analytics.Storage.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("batch:2026-11-26.part-1_x", true)]
    [InlineData("", false)]
    [InlineData("quote'", false)]
    [InlineData("new\nline", false)]
    [InlineData("ünï", false)]
    public void Deduplication_tokens_are_limited_to_a_safe_alphabet(string token, bool valid) =>
        Assert.Equal(valid, StorageIdentifiers.IsValidDeduplicationToken(token));

    [Fact]
    public void Deduplication_tokens_longer_than_the_limit_are_rejected() =>
        Assert.False(StorageIdentifiers.IsValidDeduplicationToken(new string('a', StorageIdentifiers.MaxTokenLength + 1)));

    [Theory]
    [InlineData("analytics", true)]
    [InlineData("_t1", true)]
    [InlineData("1abc", false)]
    [InlineData("a-b", false)]
    [InlineData("a`b", false)]
    [InlineData("", false)]
    public void Database_names_must_be_plain_identifiers(string name, bool valid) =>
        Assert.Equal(valid, StorageIdentifiers.IsValidIdentifier(name));

    [Fact]
    public void Scripts_split_at_top_level_semicolons_only()
    {
        var statements = SqlScript.Split("""
            -- a comment; with a semicolon
            CREATE TABLE a (s String DEFAULT 'x;y') ENGINE = Memory;
            /* block; comment */
            SELECT ';' AS "semi;colon";
            -- trailing comment only
            """);

        Assert.Equal(2, statements.Count);
        Assert.EndsWith("ENGINE = Memory", statements[0]);
        Assert.EndsWith("AS \"semi;colon\"", statements[1]);
    }

    [Fact]
    public void Engine_errors_on_inserts_keep_code_name_and_column_but_drop_quoted_input()
    {
        const string message = "Code: 38. DB::Exception: Cannot parse date here: notadate\",: (while reading the value of key day): (at row 1)\n: While executing ParallelParsingBlockInputFormat. (CANNOT_PARSE_DATE)";

        var error = EngineErrors.FromEngine(message, mayEchoRowData: true);

        Assert.Equal(38, error.EngineCode);
        Assert.Equal("CANNOT_PARSE_DATE", error.EngineErrorName);
        Assert.Contains("column day", error.Message);
        Assert.DoesNotContain("notadate", error.Message);
    }

    [Fact]
    public void Engine_errors_on_queries_keep_the_engine_message()
    {
        var error = EngineErrors.FromEngine("Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE)", mayEchoRowData: false);

        Assert.Equal(60, error.EngineCode);
        Assert.Equal("UNKNOWN_TABLE", error.EngineErrorName);
        Assert.Contains("Unknown table expression identifier 'nope'", error.Message);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("a\tb\nc", "a\\tb\\nc")]
    public void Parameter_values_are_escaped_for_the_engine_text_format(string value, string escaped) =>
        Assert.Equal(escaped, ChDbConnection.EscapeParameterValue(value));

    [Fact]
    public void Every_stats_query_is_embedded()
    {
        Assert.Contains("{min_visitors:UInt64}", StoreQueries.Get(StoreQueries.Pages));
        Assert.Contains("{min_visitors:UInt64}", StoreQueries.Get(StoreQueries.Products));
        Assert.Contains("{min_visitors:UInt64}", StoreQueries.Get(StoreQueries.Timeseries));
        Assert.Throws<KeyNotFoundException>(() => StoreQueries.Get("nope"));
    }
}
