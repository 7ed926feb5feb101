using Assay.Bench;

return await BenchApp.RunAsync(args);
