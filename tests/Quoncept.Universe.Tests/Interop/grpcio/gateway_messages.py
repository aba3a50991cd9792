"""Message classes for quoncept.v1 and grpc.health.v1, built at run time from a FileDescriptorSet the
C# test writes from its generated descriptors (the .proto is the only source; no protoc needed)."""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def load(descriptor_set_path):
    with open(descriptor_set_path, "rb") as f:
        files = descriptor_pb2.FileDescriptorSet.FromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file_proto in files.file:
        pool.Add(file_proto)

    def message_class(full_name):
        descriptor = pool.FindMessageTypeByName(full_name)
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(descriptor)
        return message_factory.MessageFactory(pool).GetPrototype(descriptor)

    return message_class
