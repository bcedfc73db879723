using System;
using System.IO;

namespace Vmx.Cli;

public static class Program
{
    public static int Main(string[] args) => new CommandLine(Console.Out, Console.Error, Directory.GetCurrentDirectory()).Run(args);
}
