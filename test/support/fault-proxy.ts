// An HTTP proxy in front of the S3 emulator that injects faults into UploadPart requests:
// 500 errors (a number of times, or always) and delays.
import * as http from "http";
import type { AddressInfo } from "net";

export interface Faults {
  /** How many UploadPart requests get a 500 before requests pass again. */
  failUploadParts: number;
  /** Milliseconds to hold each UploadPart before forwarding it. */
  delayUploadPartsMs: number;
}

export class FaultProxy {
  readonly faults: Faults = { failUploadParts: 0, delayUploadPartsMs: 0 };
  uploadPartRequests = 0;
  failedRequests = 0;

  private constructor(
    private readonly server: http.Server,
    readonly endpoint: string,
  ) {}

  static async start(target: string): Promise<FaultProxy> {
    const upstream = new URL(target);
    // eslint-disable-next-line prefer-const
    let proxy: FaultProxy;
    const server = http.createServer((req, res) => {
      const isUploadPart = req.method === "PUT" && /[?&]partNumber=/.test(req.url ?? "");
      if (isUploadPart) proxy.uploadPartRequests++;
      if (isUploadPart && proxy.faults.failUploadParts > 0) {
        proxy.faults.failUploadParts--;
        proxy.failedRequests++;
        // Like S3, read the whole request before answering.
        req.resume();
        req.on("end", () => {
          res.writeHead(500, { "content-type": "application/xml" });
          res.end(
            '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>injected by the test</Message></Error>',
          );
        });
        return;
      }
      const forward = () => {
        const out = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        out.on("error", () => res.destroy());
        req.pipe(out);
      };
      if (isUploadPart && proxy.faults.delayUploadPartsMs > 0)
        setTimeout(forward, proxy.faults.delayUploadPartsMs);
      else forward();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    proxy = new FaultProxy(server, `http://127.0.0.1:${port}`);
    return proxy;
  }

  reset(): void {
    this.faults.failUploadParts = 0;
    this.faults.delayUploadPartsMs = 0;
    this.uploadPartRequests = 0;
    this.failedRequests = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
