// Drives a FaaSCell node through the real AWS SDK for JavaScript v3, for LambdaSdkIT.
// Usage: node driver.mjs <endpoint> <access key id> <secret> <command.json>; prints one
// JSON line: {"result": ...} or {"error": {"name", "status", "message", "retryAfterSeconds"}}.
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient,
  UpdateFunctionCodeCommand, paginateListFunctions,
} from "@aws-sdk/client-lambda";
import fs from "node:fs";

const [endpoint, accessKeyId, secretAccessKey, commandFile] = process.argv.slice(2);
// one attempt: the tests look at what the node answered, not at the SDK's retries
const client = new LambdaClient({ endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
const command = JSON.parse(fs.readFileSync(commandFile, "utf8"));

function describe(error) {
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message,
    retryAfterSeconds: error.retryAfterSeconds };
}

async function invoke(c) {
  const started = performance.now();
  const out = await client.send(new InvokeCommand({
    FunctionName: c.name,
    Payload: c.payload === undefined ? undefined : Buffer.from(c.payload),
    InvocationType: c.type,
    LogType: c.tail ? "Tail" : undefined,
    Qualifier: c.qualifier,
  }));
  return {
    StatusCode: out.StatusCode,
    FunctionError: out.FunctionError,
    ExecutedVersion: out.ExecutedVersion,
    Log: out.LogResult ? Buffer.from(out.LogResult, "base64").toString() : undefined,
    Payload: out.Payload ? Buffer.from(out.Payload).toString() : undefined,
    ms: performance.now() - started,
  };
}

const operations = {
  create: (c) => client.send(new CreateFunctionCommand({
    FunctionName: c.name, Runtime: c.runtime, Handler: c.handler, Role: "arn:aws:iam::123456789012:role/lambda",
    Code: { ZipFile: Buffer.from(c.zipBase64, "base64") }, MemorySize: c.memory, Timeout: c.timeout,
    Environment: c.env ? { Variables: c.env } : undefined,
  })),
  update: (c) => client.send(new UpdateFunctionCodeCommand({ FunctionName: c.name, ZipFile: Buffer.from(c.zipBase64, "base64") })),
  get: (c) => client.send(new GetFunctionCommand({ FunctionName: c.name })),
  delete: (c) => client.send(new DeleteFunctionCommand({ FunctionName: c.name })),
  // every page, PageSize at a time, through the SDK's own Marker/NextMarker paginator
  list: async (c) => {
    const names = [];
    let pages = 0;
    for await (const page of paginateListFunctions({ client, pageSize: c.pageSize }, {})) {
      pages += 1;
      names.push(...page.Functions.map((f) => f.FunctionName));
    }
    return { names, pages };
  },
  invoke,
  // `count` invocations at once, each answered with its result or its error
  invokeMany: async (c) => Promise.all(Array.from({ length: c.count }, () =>
    invoke(c).then((result) => ({ result }), (error) => ({ error: describe(error) })))),
  // `count` warm invocations one after another: their wall times, as the SDK sees them
  time: async (c) => {
    const times = [];
    for (let i = 0; i < c.count; i++) {
      times.push((await invoke(c)).ms);
    }
    return times;
  },
};

try {
  const result = await operations[command.op](command);
  delete result?.$metadata;
  console.log(JSON.stringify({ result }));
} catch (error) {
  console.log(JSON.stringify({ error: describe(error) }));
}
