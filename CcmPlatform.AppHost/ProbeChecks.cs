using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CcmPlatform.AppHost;

/// <summary>
/// Readiness probes for the executables: a listening socket is not enough (RabbitMQ opens its port
/// before it can take connections), so each check speaks the first words of the real protocol.
/// </summary>
internal abstract class ProtocolProbe(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            return await ProbeAsync(stream, timeout.Token) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"unexpected answer on port {port}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"port {port}: {ex.Message}");
        }
    }

    protected abstract Task<bool> ProbeAsync(NetworkStream stream, CancellationToken cancellationToken);
}

/// <summary>Sends the AMQP 0-9-1 protocol header; a ready broker answers with a method frame (type 1).</summary>
internal sealed class AmqpHandshakeCheck(int port) : ProtocolProbe(port)
{
    protected override async Task<bool> ProbeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken);
        var buffer = new byte[1];
        return await stream.ReadAsync(buffer, cancellationToken) == 1 && buffer[0] == 1;
    }
}

/// <summary>PING must answer +PONG.</summary>
internal sealed class RedisPingCheck(int port) : ProtocolProbe(port)
{
    protected override async Task<bool> ProbeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }
}

/// <summary>SQL Server's TDS needs a client library to speak; an accepting socket is the best probe without one.</summary>
internal sealed class TcpOpenCheck(int port) : ProtocolProbe(port)
{
    protected override Task<bool> ProbeAsync(NetworkStream stream, CancellationToken cancellationToken) => Task.FromResult(true);
}
