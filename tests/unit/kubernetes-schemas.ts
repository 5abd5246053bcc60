/**
 * Offline validation of exported Kubernetes documents against the real schemas, from pinned
 * packages (devDependencies, exact versions): `kubernetes-models` 5.1.0 carries the Kubernetes
 * OpenAPI definitions as ajv validators, `@kubernetes-models/keda` 2.0.0 KEDA's CRDs
 * (ScaledObject, TriggerAuthentication) the same way. A document of a kind not listed here fails,
 * so a new kind in the export must be given its schema.
 */
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';

interface Validating {
  validate(): void;
}

const MODELS: Record<string, new (data: never) => Validating> = {
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** The schema problems of one document; [] when it validates. */
export function schemaProblems(doc: unknown): string[] {
  const { apiVersion, kind } = (doc ?? {}) as { apiVersion?: string; kind?: string };
  const Model = MODELS[`${apiVersion}/${kind}`];
  if (!Model) return [`no schema for ${apiVersion}/${kind}`];
  try {
    new Model(doc as never).validate();
    return [];
  } catch (err) {
    return [`${kind}: ${(err as Error).message}`];
  }
}
