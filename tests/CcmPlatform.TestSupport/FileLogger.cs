using Microsoft.Extensions.Logging;

namespace CcmPlatform.TestSupport;

/// <summary>
/// When CCM_TEST_LOGS names a folder, each test host writes its Information-and-above logs to its own file there, so an
/// intermittent failure in a background service (projector, relay) can be read after the run.
/// </summary>
public sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _file = new(path, append: true) { AutoFlush = true };

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_file)
        {
            _file.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_file)
        {
            if (_file.BaseStream.CanWrite)
            {
                _file.WriteLine(line);
            }
        }
    }

    private sealed class Logger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
            }
        }
    }
}
