// Writes Avro and JSON Schema records with Confluent's JavaScript serializers (see README.md).
const { SchemaRegistryClient, AvroSerializer, JsonSerializer, SerdeType } = require(require.resolve('@confluentinc/schemaregistry', {paths: [process.cwd()]}));
(async () => {
  const client = new SchemaRegistryClient({ baseURLs: [process.env.REG || 'http://127.0.0.1:8081'] });
  const schema = JSON.stringify({type: 'record', name: 'Order', namespace: 'cjs', fields: [
    {name: 'id', type: 'long'}, {name: 'name', type: 'string'}, {name: 'note', type: ['null', 'string'], default: null},
    {name: 'price', type: {type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2}},
    {name: 'tags', type: {type: 'array', items: 'string'}},
    {name: 'address', type: {type: 'record', name: 'Address', fields: [{name: 'city', type: 'string'}]}}]});
  await client.register('cjs-orders-value', {schemaType: 'AVRO', schema});
  const ser = new AvroSerializer(client, SerdeType.VALUE, {useLatestVersion: true});
  const bytes = await ser.serialize('cjs-orders', {id: 42, name: 'ada', note: 'hi', price: Buffer.from([0x04, 0xe2]), tags: ['a', 'b'], address: {city: 'Oslo'}});
  console.log('avro ' + bytes.toString('hex'));
  const js = new JsonSerializer(client, SerdeType.VALUE, {autoRegisterSchemas: true});
  const jbytes = await js.serialize('cjs-json', {id: 42, name: 'ada'});
  console.log('json ' + jbytes.toString('hex'));
})().catch(e => { console.error('FAILED', e); process.exit(1); });
