namespace Quoncept.Cli;

internal sealed record BenchSettings(IReadOnlyList<Uri> Gateways, int Clients, TimeSpan Duration, string UserPattern, int FirstUser, TimeSpan ActionInterval, int LoginRate);
