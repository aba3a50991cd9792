using Microsoft.Extensions.Options;

namespace Quoncept.ServiceDefaults.Options;

/// <summary>One <see cref="OptionsChecks.Check{T}"/>: fails with the message the delegate returns.</summary>
internal sealed class DelegateOptionsCheck<T>(string? name, Func<T, string?> problem) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? optionsName, T options)
    {
        if (name is not null && name != optionsName) return ValidateOptionsResult.Skip;
        return problem(options) is { } message ? ValidateOptionsResult.Fail(message) : ValidateOptionsResult.Success;
    }
}
