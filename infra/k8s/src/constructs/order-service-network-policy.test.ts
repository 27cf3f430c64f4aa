import { describe, expect, it } from 'vitest';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import { devChartProps } from '../config/dev.ts';
import { prodChartProps } from '../config/prod.ts';
import { synthChart } from '../testing/synth-chart.ts';

/** Flattens the policy's egress into readable `destination -> protocol/port` lines. */
function egressLines(peerToText: (peer: INetworkPolicyPeer) => string, props = devChartProps) {
  const policy = synthChart(props).one('NetworkPolicy');
  return (policy.spec?.egress ?? []).flatMap((rule) =>
    (rule.to ?? []).flatMap((peer) =>
      (rule.ports ?? []).map((port) => `${peerToText(peer)} -> ${port.protocol}/${port.port}`),
    ),
  );
}

const describePeer = (peer: INetworkPolicyPeer): string =>
  peer.ipBlock?.cidr ??
  `ns:${peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']}` +
    (peer.podSelector?.matchLabels ? `/${JSON.stringify(peer.podSelector.matchLabels)}` : '');

describe('order service NetworkPolicy', () => {
  it('denies everything by default, in both directions', () => {
    const policy = synthChart().one('NetworkPolicy');
    expect(policy.spec?.policyTypes?.sort()).toEqual(['Egress', 'Ingress']);
  });

  it('admits only the ALB subnets on the service port and the Prometheus namespace on the metrics port', () => {
    const policy = synthChart().one('NetworkPolicy');
    const ingress = (policy.spec?.ingress ?? []).flatMap((rule) =>
      (rule.from ?? []).map((peer) => `${describePeer(peer)} -> ${rule.ports?.[0]?.port}`),
    );
    expect(ingress).toEqual([
      '10.10.0.0/20 -> 4200',
      '10.10.16.0/20 -> 4200',
      '10.10.32.0/20 -> 4200',
      'ns:monitoring -> 9464',
    ]);
  });

  it('lets the pods reach exactly DNS, the database, AWS endpoints, the JWKS and the peers (dev, EventBridge)', () => {
    expect(egressLines(describePeer)).toEqual([
      'ns:kube-system/{"k8s-app":"kube-dns"} -> UDP/53',
      'ns:kube-system/{"k8s-app":"kube-dns"} -> TCP/53',
      '10.10.96.0/24 -> TCP/5432',
      '10.10.97.0/24 -> TCP/5432',
      '10.10.98.0/24 -> TCP/5432',
      '10.10.0.0/20 -> TCP/443',
      '10.10.16.0/20 -> TCP/443',
      '10.10.32.0/20 -> TCP/443',
      '0.0.0.0/0 -> TCP/443',
      'ns:product-service -> TCP/4100',
      'ns:notification-service -> TCP/4400',
      'ns:payment-service -> TCP/4500',
      'ns:analytics-service -> TCP/4800',
      'ns:observability -> TCP/4318',
      'ns:observability -> TCP/4317',
    ]);
  });

  it('sends traces to the collector namespace only when tracing is on', () => {
    const withoutTracing = { ...devChartProps, tracing: undefined };
    const lines = egressLines(describePeer, withoutTracing);
    expect(lines.some((line) => line.startsWith('ns:observability'))).toBe(false);
  });

  it('opens the MSK broker ports only when the event bus is Kafka (prod)', () => {
    const kafka = egressLines(describePeer, prodChartProps).filter((line) =>
      line.startsWith('10.20.11'),
    );
    expect(kafka).toEqual(
      ['10.20.112.0/24', '10.20.113.0/24', '10.20.114.0/24'].flatMap((cidr) =>
        [9092, 9094, 9098].map((port) => `${cidr} -> TCP/${port}`),
      ),
    );
    expect(egressLines(describePeer).some((line) => /909\d$/.test(line))).toBe(false);
  });
});
