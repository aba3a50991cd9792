using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Quoncept.ServiceDefaults.Options;

/// <summary>
/// <c>.Check(o => problem-or-null)</c> on an options builder: a validation whose failure message is
/// written for the person who set the value (it names the setting and what would be right), which
/// <c>Validate(predicate, message)</c> cannot do when the message depends on the value.
/// Combine with <c>ValidateOnStart()</c> so a bad setting stops the process at start.
/// </summary>
public static class OptionsChecks
{
    public static OptionsBuilder<T> Check<T>(this OptionsBuilder<T> builder, Func<T, string?> problem)
        where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new DelegateOptionsCheck<T>(builder.Name, problem));
        return builder;
    }
}
