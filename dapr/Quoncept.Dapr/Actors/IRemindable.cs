namespace Quoncept.Dapr.Actors;

/// <summary>Implemented by actors that register reminders; the runtime calls it when one fires.</summary>
public interface IRemindable
{
    Task ReceiveReminderAsync(string reminderName, byte[] state, TimeSpan dueTime, TimeSpan period);
}
