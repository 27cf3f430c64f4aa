import { rolloutSurgeFraction } from '@mallhive/infra-k8s';

/**
 * Memory of the RDS instance classes this app may use, in GiB (RDS "DB instance classes"). A class
 * missing here is refused by config validation: its connection limit could not be checked.
 */
export const instanceClassMemoryGiB: Readonly<Record<string, number>> = {
  't4g.medium': 4,
  't4g.large': 8,
  'm7g.large': 8,
  'm7g.xlarge': 16,
  'r7g.large': 16,
  'r7g.xlarge': 32,
  'r7g.2xlarge': 64,
};

/**
 * What RDS would pick for max_connections on this class: LEAST({DBInstanceClassMemory/9531392}, 5000)
 * ("Quotas and constraints for Amazon RDS", maximum number of database connections). Computed on the
 * nominal memory; DBInstanceClassMemory is somewhat less, so this is an upper bound.
 */
export function rdsDefaultMaxConnections(instanceClass: string): number | undefined {
  const gib = instanceClassMemoryGiB[instanceClass];
  return gib === undefined ? undefined : Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
}

/** Who may hold a connection at the worst moment: a rollout at the autoscaler's maximum. */
export interface ConnectionBudget {
  /** Pods during such a rollout: replicas.max plus the rollout's surge. */
  readonly pods: number;
  /** Their pools together (pods × databasePoolMax). */
  readonly pools: number;
  /**
   * One connection per pod outside its pool: each service process holds a session for its
   * presence lock for as long as it runs.
   */
  readonly presenceLocks: number;
  /** One migration connection per starting pod (the surge). */
  readonly migrations: number;
  /** The two rotation functions (master, application) log in as both users while they rotate. */
  readonly rotation: number;
  /** The role bootstrap during a deploy. */
  readonly bootstrap: number;
  /** superuser_reserved_connections (PostgreSQL default 3) and an operator's session (2). */
  readonly reserved: number;
  readonly total: number;
}

export interface BudgetInputs {
  readonly maxReplicas: number;
  readonly poolMax: number;
}

export function connectionBudget({ maxReplicas, poolMax }: BudgetInputs): ConnectionBudget {
  const surge = Math.ceil(maxReplicas * rolloutSurgeFraction);
  const pods = maxReplicas + surge;
  const parts = {
    pods,
    pools: pods * poolMax,
    presenceLocks: pods,
    migrations: surge,
    rotation: 4,
    bootstrap: 1,
    reserved: 5,
  };
  return {
    ...parts,
    total:
      parts.pools +
      parts.presenceLocks +
      parts.migrations +
      parts.rotation +
      parts.bootstrap +
      parts.reserved,
  };
}

/** The connections alarm fires at this share of max_connections: time to act before refusals. */
export const connectionsAlarmFraction = 0.8;

export const connectionsAlarmThreshold = (maxConnections: number): number =>
  Math.floor(maxConnections * connectionsAlarmFraction);
