// Writes Protobuf records with Confluent's JavaScript serializer (see README.md).
const { SchemaRegistryClient, ProtobufSerializer, SerdeType } = require(require.resolve('@confluentinc/schemaregistry', {paths: [process.cwd()]}));
const { create, createFileRegistry, createMutableRegistry } = require(require.resolve('@bufbuild/protobuf', {paths: [process.cwd()]}));
const { FileDescriptorProtoSchema, file_google_protobuf_timestamp } = require(require.resolve('@bufbuild/protobuf/wkt', {paths: [process.cwd()]}));
(async () => {
  const client = new SchemaRegistryClient({ baseURLs: [process.env.REG || 'http://127.0.0.1:8081'] });
  const f = (name, number, type, extra) => Object.assign({name, number, type, label: 1, jsonName: name}, extra || {});
  const fdp = create(FileDescriptorProtoSchema, {name: 'cjs/order.proto', package: 'cjs', syntax: 'proto3',
    dependency: ['google/protobuf/timestamp.proto'],
    messageType: [
      {name: 'Other', field: [f('x', 1, 9)]},
      {name: 'Order', field: [f('id', 1, 3), f('name', 2, 9), f('tags', 3, 9, {label: 3}),
        f('address', 4, 11, {typeName: '.cjs.Order.Address'}), f('at', 5, 11, {typeName: '.google.protobuf.Timestamp'}),
        f('status', 6, 14, {typeName: '.cjs.Order.Status'}), f('ratio', 7, 1)],
       nestedType: [{name: 'Address', field: [f('city', 1, 9)]}],
       enumType: [{name: 'Status', value: [{name: 'NEW', number: 0}, {name: 'PAID', number: 1}]}]}]});
  const files = createFileRegistry(fdp, (n) => n === 'google/protobuf/timestamp.proto' ? file_google_protobuf_timestamp : undefined);
  const Order = files.getMessage('cjs.Order');
  const Address = files.getMessage('cjs.Order.Address');
  const registry = createMutableRegistry(Order, Address);
  const ser = new ProtobufSerializer(client, SerdeType.VALUE, {autoRegisterSchemas: true, registry});
  const msg = create(Order, {id: 42n, name: 'ada', tags: ['a', 'b'], address: {city: 'Oslo'},
    at: {seconds: 1706696130n, nanos: 123000000}, status: 1, ratio: 0.25});
  const bytes = await ser.serialize('cjs-proto', msg);
  console.log('proto ' + bytes.toString('hex'));
  const nested = await ser.serialize('cjs-proto', create(Address, {city: 'Bergen'}));
  console.log('nested ' + nested.toString('hex'));
  const id = bytes.readInt32BE(1);
  const s = await client.getBySubjectAndId('cjs-proto-value', id);
  console.log('schema ' + JSON.stringify(s));
})().catch(e => { console.error('FAILED', e); process.exit(1); });
