// Grade pages of a running site with the MDN HTTP Observatory's own scanner
// (npm package @mdn/mdn-http-observatory), as tests/test_observatory.py uses it.
//
// Usage: node tests/observatory_grade.mjs SERVER HOSTNAME PATH...
//
// The scanner fetches http://HOSTNAME/ and https://HOSTNAME/, follows the redirects
// itself, collects cookies, fetches /robots.txt, makes a CORS preflight, parses the
// page and grades it: all of that is the package's code, run unchanged. Only what
// sits below HTTP is replaced, because the site can only be served on loopback:
//   - every connection, to port 80 or 443 of HOSTNAME, is opened to SERVER (a plain
//     HTTP server such as http://127.0.0.1:8000) instead;
//   - there is no TLS: a request the scanner makes over https:// travels in plain
//     text and says so in an X-Forwarded-Proto header, as a proxy that terminates
//     TLS in front of the site does. The scanner never sees a certificate error, so
//     it records the certificate as verified;
//   - the Chromium HSTS preload list, which the package downloads when it is
//     installed with scripts, is taken as empty where it is absent: the host gets
//     no credit for being preloaded.
//
// Prints one JSON object per path, in a list:
//   scan:  what the package's scan() returns (grade, score, tests) or its error;
//   parts: the same page graded from the package's parts (retrieve(), ALL_TESTS,
//          the grader's modifiers and chart) summed the way scan() sums them.
//          scan() refuses any page answering 4xx other than 401/403 (a 404, say);
//          this is how such a page is graded at all.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [server, hostname, ...paths] = process.argv.slice(2);
if (!server || !hostname || paths.length === 0) {
  console.error("Usage: node observatory_grade.mjs SERVER HOSTNAME PATH...");
  process.exit(2);
}
const target = new URL(server);

// Every socket the scanner opens, plain or "TLS", goes to the loopback server.
function connectToServer() {
  return net.createConnection({
    host: target.hostname,
    port: Number(target.port),
  });
}
http.Agent.prototype.createConnection = connectToServer;
https.Agent.prototype.createConnection = connectToServer;

// https.Agent inherits addRequest from http.Agent: tell the site which scheme the
// scanner used, before the request's headers are written.
const addRequest = http.Agent.prototype.addRequest;
http.Agent.prototype.addRequest = function (request, options) {
  request.setHeader(
    "X-Forwarded-Proto",
    this.protocol === "https:" ? "https" : "http"
  );
  return addRequest.call(this, request, options);
};

const packageRoot = path.dirname(
  path.dirname(fileURLToPath(import.meta.resolve("@mdn/mdn-http-observatory")))
);
const preloadList = path.join(packageRoot, "conf", "hsts-preload.json");
if (!fs.existsSync(preloadList)) {
  // The package reads its preload list with fs.readFileSync (src/analyzer/hsts.js).
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (file, ...rest) {
    return file === preloadList ? "{}" : readFileSync.call(this, file, ...rest);
  };
}

const { scan } = await import("@mdn/mdn-http-observatory");
const { retrieve } = await import(
  "@mdn/mdn-http-observatory/src/retriever/retriever.js"
);
const { ALL_TESTS } = await import("@mdn/mdn-http-observatory/src/constants.js");
const { MINIMUM_SCORE_FOR_EXTRA_CREDIT } = await import(
  "@mdn/mdn-http-observatory/src/grader/charts.js"
);
const { getGradeForScore, getScoreModifier } = await import(
  "@mdn/mdn-http-observatory/src/grader/grader.js"
);

function summary(tests) {
  return Object.fromEntries(
    tests.map((test) => [
      test.constructor.name,
      {
        result: test.result,
        pass: test.pass,
        scoreModifier: test.scoreModifier,
        // The redirection sub-test's chain of URLs, from http:// onwards.
        ...(test.route ? { route: test.route } : {}),
      },
    ])
  );
}

// scan() builds its URLs as scheme://HOSTNAME + path, so a host name followed by a
// page's path scans that page; the bare host name scans the front page.
async function gradeWithScan(page) {
  try {
    const result = await scan(page);
    return {
      grade: result.scan.grade,
      score: result.scan.score,
      statusCode: result.scan.statusCode,
      tests: summary(Object.values(result.tests)),
    };
  } catch (error) {
    return { error: error.message };
  }
}

async function gradeFromParts(page) {
  const requests = await retrieve(page);
  const tests = ALL_TESTS.map((test) => test(requests));
  let withExtraCredit = 100;
  let uncurved = 100;
  for (const test of tests) {
    test.scoreModifier = getScoreModifier(test.result);
    withExtraCredit += test.scoreModifier;
    uncurved += Math.min(test.scoreModifier, 0);
  }
  const { grade, score } = getGradeForScore(
    uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtraCredit : uncurved
  );
  return {
    grade,
    score,
    statusCode: requests.responses.auto?.status ?? null,
    tests: summary(tests),
  };
}

const results = [];
for (const pagePath of paths) {
  const page = pagePath === "/" ? hostname : `${hostname}${pagePath}`;
  results.push({
    path: pagePath,
    scan: await gradeWithScan(page),
    parts: await gradeFromParts(page),
  });
}
process.stdout.write(JSON.stringify(results, null, 2) + "\n");
