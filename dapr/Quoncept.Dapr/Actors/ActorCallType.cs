namespace Quoncept.Dapr.Actors;

public enum ActorCallType
{
    ActorInterfaceMethod,
    TimerMethod,
    ReminderMethod,
}
