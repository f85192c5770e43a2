// The sandbox's conf renderers: one replica renders exactly the files it always did; N replicas render one server per
// node on its own port and device, and only then the proxy's fast-failover settings.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS, REPLICA_PROXY_TIMEOUTS, renderAllConfs, ringDevice, storageNodes } from '../../app/sandbox/config.ts';

const input = { dataDir: '/sb', ports: { ...DEFAULT_PORTS }, user: 'me' };
const nodePorts = { account: [6212, 6222, 6232], container: [6211, 6221, 6231], object: [6210, 6220, 6230] };

describe('sandbox confs', () => {
  it('one replica: the four servers of old, no failover settings', () => {
    const files = renderAllConfs(input);
    expect(Object.keys(files).sort()).toEqual(['account-server.conf', 'container-server.conf', 'object-server.conf', 'proxy-server.conf', 'swift.conf']);
    expect(files['object-server.conf']).toContain('bind_port = 6210\n');
    expect(files['proxy-server.conf']).not.toContain('node_timeout');
    expect(storageNodes(1, { account: [6212], container: [6211], object: [6210] }).map((n) => n.proc)).toEqual(['account', 'container', 'object']);
    expect(ringDevice(6210)).toBe('r1z1-127.0.0.1:6210/d1');
  });

  it('three replicas: a server per node on its own port and device, each in its own zone, and a proxy that fails over fast', () => {
    const nodes = storageNodes(3, nodePorts);
    expect(nodes.map((n) => n.proc)).toEqual(['account-1', 'account-2', 'account-3', 'container-1', 'container-2', 'container-3', 'object-1', 'object-2', 'object-3']);
    const files = renderAllConfs({ ...input, nodes });
    for (const n of nodes) expect(files[n.confFile]).toContain(`bind_port = ${n.port}\n`);
    expect(files['object-server-2.conf']).toContain('log_name = sandbox-object-2\n');
    expect(files['object-server.conf']).toBeUndefined();
    for (const [k, v] of Object.entries(REPLICA_PROXY_TIMEOUTS)) expect(files['proxy-server.conf']).toContain(`${k} = ${v}\n`);
    expect(nodes.filter((n) => n.kind === 'object').map((n) => ringDevice(n.port, n.node))).toEqual(['r1z1-127.0.0.1:6210/d1', 'r1z2-127.0.0.1:6220/d2', 'r1z3-127.0.0.1:6230/d3']);
  });
});
