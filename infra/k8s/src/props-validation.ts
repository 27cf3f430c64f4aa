import { fargateSizeProblem } from './fargate-sizes.ts';
import type { OrderServiceChartProps } from './order-service-chart-props.ts';

/** An unresolved AWS CDK token (`${Token[...]}`) is resolved at deploy time, not checkable here. */
export function isCdkToken(value: string): boolean {
  return value.includes('${Token[');
}

const dockerTag = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const sha256Digest = /^sha256:[a-f0-9]{64}$/;
const ipv4Cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isIpv4Cidr(value: string): boolean {
  const match = ipv4Cidr.exec(value);
  if (!match) return false;
  const [, a, b, c, d, bits] = match.map(Number);
  return [a, b, c, d].every((octet) => octet !== undefined && octet <= 255) && (bits ?? 33) <= 32;
}

/**
 * Rejects props that would ship a broken or unsafe deployment, before any object is built.
 * Returns every problem at once so a config author fixes them in one go.
 */
export function findPropsProblems(props: OrderServiceChartProps): string[] {
  const problems: string[] = [];
  const { image, replicas, resources, network } = props;

  if (!dnsLabel.test(props.envName)) problems.push(`envName "${props.envName}" is not a DNS label`);

  if (!isCdkToken(image.tag)) {
    if (image.tag.trim() === '') problems.push('image.tag is empty: deploy an immutable tag');
    else if (image.tag === 'latest')
      problems.push('image.tag "latest" is mutable: use the git SHA');
    else if (!dockerTag.test(image.tag))
      problems.push(`image.tag "${image.tag}" is not a valid tag`);
  }
  if (image.digest !== undefined && !isCdkToken(image.digest) && !sha256Digest.test(image.digest))
    problems.push(`image.digest "${image.digest}" is not a sha256 digest (sha256:<64 hex digits>)`);
  if (image.repositoryUri.trim() === '') problems.push('image.repositoryUri is empty');
  else if (
    !isCdkToken(image.repositoryUri) &&
    /[:@]/.test(image.repositoryUri.split('/').pop() ?? '')
  )
    problems.push('image.repositoryUri must not carry a tag or digest; pass the tag in image.tag');

  if (!Number.isInteger(replicas.min) || replicas.min < 2)
    problems.push('replicas.min must be an integer >= 2 (one pod may always be disrupted)');
  if (!Number.isInteger(replicas.max) || replicas.max < replicas.min)
    problems.push('replicas.max must be an integer >= replicas.min');

  if (resources.cpuMillis <= 0 || resources.memoryMebibytes <= 0)
    problems.push('resources must be positive');
  else {
    const sizeProblem = fargateSizeProblem(resources);
    if (sizeProblem) problems.push(`resources ${sizeProblem}`);
  }

  const groups = props.podSecurityGroupIds.length;
  if (groups < 1 || groups > 5)
    problems.push(`podSecurityGroupIds needs 1-5 ids (pod group + cluster group), got ${groups}`);

  const cidrs = [
    ...network.albSubnetCidrs,
    ...network.databaseCidrs,
    ...network.kafkaCidrs,
    ...network.awsEndpointCidrs,
  ];
  for (const cidr of cidrs) {
    if (!isIpv4Cidr(cidr)) problems.push(`"${cidr}" is not a literal IPv4 CIDR`);
  }
  if (network.albSubnetCidrs.length === 0) problems.push('network.albSubnetCidrs is empty');
  if (network.databaseCidrs.length === 0) problems.push('network.databaseCidrs is empty');
  if (props.eventBus.kind === 'kafka' && network.kafkaCidrs.length === 0)
    problems.push('network.kafkaCidrs is empty but the event bus is Kafka');

  // ELB: at most 32 alphanumerics or hyphens, no hyphen at either end, not starting with internal-.
  const albName = props.ingress.loadBalancerName;
  if (
    !isCdkToken(albName) &&
    !/^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(albName)
  )
    problems.push(
      `ingress.loadBalancerName "${albName}" is not an ALB name (1-32 letters, digits or hyphens, no hyphen at either end, not internal-...)`,
    );
  if (props.tracing) {
    const ratio = props.tracing.sampleRatio;
    if (!(ratio >= 0 && ratio <= 1))
      problems.push(`tracing.sampleRatio ${ratio} is not between 0 and 1`);
  }

  if (!Number.isInteger(props.runtime.shutdownTimeoutMs) || props.runtime.shutdownTimeoutMs <= 0)
    problems.push('runtime.shutdownTimeoutMs must be a positive integer');
  if (props.runtime.databasePoolMax < 1) problems.push('runtime.databasePoolMax must be >= 1');

  return problems;
}

export function assertValidProps(props: OrderServiceChartProps): void {
  const problems = findPropsProblems(props);
  if (problems.length > 0) {
    throw new Error(`Invalid OrderServiceChart props:\n- ${problems.join('\n- ')}`);
  }
}
