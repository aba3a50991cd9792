namespace Quoncept.Sidecar.Components;

/// <summary>What a component needs from the runtime when it is built.</summary>
internal sealed record ComponentContext(TimeProvider Time, ILoggerFactory LoggerFactory);
