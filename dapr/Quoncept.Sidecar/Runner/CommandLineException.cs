namespace Quoncept.Sidecar.Runner;

/// <summary>A command line or run file the runtime cannot start from; the message says what to fix.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
