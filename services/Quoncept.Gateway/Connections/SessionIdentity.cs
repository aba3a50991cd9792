namespace Quoncept.Gateway.Connections;

/// <summary>Who a validated token says the caller is: the claims sub, sid and name.</summary>
internal sealed record SessionIdentity(string CharacterId, string SessionId, string Username);
