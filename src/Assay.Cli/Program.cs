using Assay.Cli;

return await AssayApp.RunAsync(args, CliConsole.Standard());
