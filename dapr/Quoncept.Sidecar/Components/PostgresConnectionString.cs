using Npgsql;

namespace Quoncept.Sidecar.Components;

/// <summary>
/// Dapr's PostgreSQL components take a pgx connection string: keyword/value pairs separated by spaces
/// (<c>host=localhost user=postgres password=example port=5432 database=dapr</c>) or a URL
/// (<c>postgres://user:password@host:5432/database?sslmode=disable</c>). This turns either into Npgsql's form;
/// Npgsql's own <c>Key=Value;...</c> form is taken as it is. An unknown keyword is an error naming it.
/// </summary>
internal static class PostgresConnectionString
{
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        if (text.Contains(';', StringComparison.Ordinal) && !text.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        var builder = new NpgsqlConnectionStringBuilder();
        var pairs = text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(text)
            : FromKeywords(text);
        foreach (var (key, value) in pairs)
        {
            Apply(builder, key, value);
        }
        return builder;
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "host": builder.Host = value; break;
            case "hostaddr": builder.Host = value; break;
            case "port": builder.Port = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "user": builder.Username = value; break;
            case "password": builder.Password = value; break;
            case "dbname" or "database": builder.Database = value; break;
            case "connect_timeout": builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "application_name": builder.ApplicationName = value; break;
            case "pool_max_conns": builder.MaxPoolSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FormatException($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full"),
                };
                break;
            default:
                throw new FormatException($"keyword '{key}' is not supported (host, port, user, password, dbname, sslmode, connect_timeout, application_name, pool_max_conns)");
        }
    }

    private static IEnumerable<(string, string)> FromKeywords(string text)
    {
        var at = 0;
        while (true)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }
            if (at >= text.Length)
            {
                yield break;
            }
            var equals = text.IndexOf('=', at);
            if (equals < 0)
            {
                throw new FormatException($"'{text[at..]}' is not keyword=value");
            }
            var key = text[at..equals].Trim();
            at = equals + 1;
            var value = new System.Text.StringBuilder();
            if (at < text.Length && text[at] == '\'')
            {
                at++;
                while (at < text.Length && text[at] != '\'')
                {
                    if (text[at] == '\\' && at + 1 < text.Length)
                    {
                        at++;
                    }
                    value.Append(text[at++]);
                }
                at++;
            }
            else
            {
                while (at < text.Length && !char.IsWhiteSpace(text[at]))
                {
                    value.Append(text[at++]);
                }
            }
            yield return (key, value.ToString());
        }
    }

    private static IEnumerable<(string, string)> FromUrl(string text)
    {
        var url = new Uri(text);
        if (url.Host.Length > 0)
        {
            yield return ("host", url.Host);
        }
        if (url.Port > 0)
        {
            yield return ("port", url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (url.UserInfo.Length > 0)
        {
            var colon = url.UserInfo.IndexOf(':');
            yield return ("user", Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]));
            if (colon >= 0)
            {
                yield return ("password", Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]));
            }
        }
        if (url.AbsolutePath.Trim('/') is { Length: > 0 } database)
        {
            yield return ("dbname", Uri.UnescapeDataString(database));
        }
        foreach (var part in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=');
            yield return equals < 0
                ? (Uri.UnescapeDataString(part), "")
                : (Uri.UnescapeDataString(part[..equals]), Uri.UnescapeDataString(part[(equals + 1)..]));
        }
    }
}
