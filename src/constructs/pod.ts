/**
 * Small, typed subsets of the Kubernetes pod fields a hook Job needs. Field names follow the
 * Kubernetes API, except that references to other objects say what they refer to
 * (`secretName`, `configMapName`, `claimName`).
 */

/** A key of a Secret. Used wherever a construct needs a secret value: secrets are never inline. */
export interface SecretKeyRef {
  readonly secretName: string;
  readonly key: string;
  /** @default false (the pod does not start while the Secret or key is missing) */
  readonly optional?: boolean;
}

/** A key of a ConfigMap. */
export interface ConfigMapKeyRef {
  readonly configMapName: string;
  readonly key: string;
  /** @default false */
  readonly optional?: boolean;
}

/**
 * The value of one environment variable: a plain string, a Secret key, a ConfigMap key, or a
 * field of the pod (`fieldPath`, e.g. `metadata.namespace`).
 */
export type EnvValue =
  | string
  | { readonly secretKeyRef: SecretKeyRef }
  | { readonly configMapKeyRef: ConfigMapKeyRef }
  | { readonly fieldPath: string };

/** Every key of a Secret or ConfigMap as environment variables (`envFrom`). */
export type EnvFromSource =
  | { readonly secretName: string; readonly prefix?: string; readonly optional?: boolean }
  | { readonly configMapName: string; readonly prefix?: string; readonly optional?: boolean };

/** A pod volume. Exactly one source per volume. */
export type HookVolume =
  | { readonly name: string; readonly persistentVolumeClaim: { readonly claimName: string; readonly readOnly?: boolean } }
  | {
      readonly name: string;
      readonly secret: { readonly secretName: string; readonly defaultMode?: number; readonly optional?: boolean };
    }
  | {
      readonly name: string;
      readonly configMap: { readonly configMapName: string; readonly defaultMode?: number; readonly optional?: boolean };
    }
  | { readonly name: string; readonly emptyDir: { readonly medium?: 'Memory'; readonly sizeLimit?: string } };

/** Mounts the volume named `volume` (one of the Job's `volumes`) into the container. */
export interface VolumeMount {
  readonly volume: string;
  readonly mountPath: string;
  /** @default false */
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

export interface Toleration {
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** CPU and memory as Kubernetes quantities, e.g. `{ cpu: '100m', memory: '64Mi' }`. */
export interface ResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface ResourceRequirements {
  readonly requests?: ResourceQuantities;
  readonly limits?: ResourceQuantities;
}

/** Restart policies a Job pod may have (`Always` is rejected by the Job API). */
export type JobRestartPolicy = 'Never' | 'OnFailure';
