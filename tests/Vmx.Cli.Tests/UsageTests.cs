using Xunit;

namespace Vmx.Cli.Tests;

public class UsageTests
{
    [Theory]
    [InlineData("unknown verb 'frobnicate'", "frobnicate")]
    [InlineData("no verb given")]
    [InlineData("unknown option '--verbose'", "check", "--verbose")]
    [InlineData("--spec needs a value", "check", "--spec")]
    [InlineData("--out needs a value", "generate", "c", "--out")]
    [InlineData("generate takes 'c' or 'docs', not 'rust'", "generate", "rust")]
    [InlineData("generate takes 'c' or 'docs', not ''", "generate")]
    [InlineData("--vector needs a value", "exit", "0", "0x1000", "--vector")]
    [InlineData("--vector is an option of the exit verb only", "decode", "0x681E", "--vector", "14")]
    public void Usage_errors_exit_2(string message, params string[] args)
    {
        var run = Cli.Invoke(Cli.RepoRoot, args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Err);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_usage(string arg)
    {
        var run = Cli.Invoke(Cli.RepoRoot, arg);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("usage: vmxgen VERB", run.Out);
        Assert.Contains("exit REASON [QUALIFICATION] [--vector N]", run.Out);
    }
}
