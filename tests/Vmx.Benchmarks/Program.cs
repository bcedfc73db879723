using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Vmx.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
