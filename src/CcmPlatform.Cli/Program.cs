using CcmPlatform.Cli;

return await CliCommands.RunAsync(args);
