// FaaSCell's Node.js runtime, started by the guest agent at INIT; the Python runtime's twin
// (pyrt.py) in protocol and behaviour.
//
// Loads the handler once ("module.function", e.g. index.handler: /fn/index.js, .mjs or .cjs, a
// CommonJS or ES module), then serves RUN requests from the agent on fd 3 and answers on fd 4.
// stdout and stderr belong to the function (the agent keeps their tail); the protocol never uses them.
// Request:  op (1 byte: R=run, S=reseed) | length (4 bytes, big-endian) | data
//           (for R, data is: request id length (1 byte) | request id | payload)
// Response: status (1 byte: 0=ok, 1=error) | exec_ns (8 bytes) | length (4 bytes) | data
//
// Handlers are Lambda's: async (event, context) => result, or (event, context, callback).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const REQUESTS = 3;
const RESPONSES = 4;
const MODULE_EXTENSIONS = [".js", ".mjs", ".cjs"];

function readExact(n) {
  const buffer = Buffer.alloc(n);
  let have = 0;
  while (have < n) {
    const got = fs.readSync(REQUESTS, buffer, have, n - have, null);
    if (got === 0) {
      return null;
    }
    have += got;
  }
  return buffer;
}

function respond(status, execNs, data) {
  const head = Buffer.alloc(13);
  head.writeUInt8(status, 0);
  head.writeBigUInt64BE(execNs, 1);
  head.writeUInt32BE(data.length, 9);
  const message = Buffer.concat([head, data]);
  for (let written = 0; written < message.length; ) {
    written += fs.writeSync(RESPONSES, message, written);
  }
}

/** "Type: message" and the stack below it: the shape the host reads errorType and errorMessage from. */
function describe(error) {
  if (!(error instanceof Error)) {
    return Buffer.from(`Error: ${typeof error === "string" ? error : JSON.stringify(error)}`);
  }
  const frames = String(error.stack || "").split("\n").filter((line) => /^\s+at /.test(line));
  return Buffer.from([`${error.name}: ${error.message}`, ...frames].join("\n"));
}

async function load(handler) {
  const dot = handler.lastIndexOf(".");
  if (dot <= 0 || dot === handler.length - 1) {
    throw new Error(`handler must be 'module.function', got '${handler}'`);
  }
  const modulePath = path.join("/fn", handler.slice(0, dot));
  const file = MODULE_EXTENSIONS.map((ext) => modulePath + ext).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    throw new Error(`Cannot find module '${handler.slice(0, dot)}' (tried ${MODULE_EXTENSIONS.join(", ")} in /fn)`);
  }
  const name = handler.slice(dot + 1);
  const loaded = await import(pathToFileURL(file).href);
  const fn = loaded[name] ?? loaded.default?.[name];
  if (typeof fn !== "function") {
    throw new Error(`${handler} is undefined or not exported`);
  }
  return fn;
}

function context(requestId, deadlineMs) {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME || "";
  return {
    awsRequestId: requestId,
    functionName,
    functionVersion: "$LATEST",
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || "",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "faascell",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(deadlineMs - performance.now())),
  };
}

function call(fn, event, ctx) {
  if (fn.length >= 3) {
    return new Promise((resolve, reject) => {
      const settled = fn(event, ctx, (error, value) => (error ? reject(error) : resolve(value)));
      if (settled && typeof settled.then === "function") {
        settled.then(resolve, reject);
      }
    });
  }
  return fn(event, ctx);
}

async function run(fn, data, timeoutMs) {
  const idLength = data.length > 0 ? data[0] : 0;
  const requestId = data.subarray(1, 1 + idLength).toString();
  const payload = data.subarray(1 + idLength);
  const event = payload.length > 0 ? JSON.parse(payload.toString()) : null;
  const result = await call(fn, event, context(requestId, performance.now() + timeoutMs));
  return Buffer.from(JSON.stringify(result === undefined ? null : result));
}

async function main() {
  let fn;
  try {
    fn = await load(process.argv[2]);
  } catch (error) {
    respond(1, 0n, describe(error));
    return 1;
  }
  const timeoutMs = Number(process.env.FAASCELL_FUNCTION_TIMEOUT_MS || "0");
  respond(0, 0n, Buffer.alloc(0));
  for (;;) {
    const head = readExact(5);
    if (head === null) {
      return 0;
    }
    const op = String.fromCharCode(head[0]);
    const length = head.readUInt32BE(1);
    const data = length > 0 ? readExact(length) : Buffer.alloc(0);
    if (op === "S") {
      // V8's Math.random and OpenSSL's generator cannot be reseeded from JavaScript (docs/LAMBDA.md)
      respond(0, 0n, Buffer.alloc(0));
      continue;
    }
    const start = process.hrtime.bigint();
    let out;
    let status;
    try {
      out = await run(fn, data, timeoutMs);
      status = 0;
    } catch (error) {
      out = describe(error);
      status = 1;
    }
    respond(status, process.hrtime.bigint() - start, out);
  }
}

process.exitCode = await main();
