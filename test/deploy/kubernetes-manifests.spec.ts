import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { ServiceMonitor, type IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget, type IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import {
  ConfigMap,
  Secret,
  Service,
  type IConfigMap,
  type IContainer,
  type IPodSpec,
  type IProbe,
  type ISecret,
  type IService,
} from 'kubernetes-models/v1';
import { fileSettableNames } from '@tollgate/config';
import { authSettings } from '../../apps/auth/src/auth.config.js';
import { billingSettings } from '../../apps/billing/src/billing.config.js';
import { edgeSettings } from '../../apps/edge/src/edge.config.js';
import { routerSettings } from '../../apps/router/src/router.config.js';

/**
 * Keeps deploy/kubernetes buildable and true to the code without kubectl:
 * every object is checked against the Kubernetes API schema of its kind
 * (kubernetes-models), each kustomization is built here by hand (resources,
 * namespace, images, replicas and patches: the subset the manifests use; any
 * other field fails the build), and the built objects are checked against
 * each other (probes, Services, the ServiceMonitor, secrets) and against the
 * services' settings. The API schemas, like Kubernetes' own OpenAPI, do not
 * refuse unknown fields: a misspelled optional field passes them, which is why
 * the fields that matter (probes, resources, security, secrets) are asked for
 * by name below.
 */

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}
type Validatable = { validate(): void };
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

const root = resolve(import.meta.dirname, '../..');
const kubernetesDir = resolve(root, 'deploy/kubernetes');
const secretExamplePath = resolve(kubernetesDir, 'secret.example.yaml');

function readYaml(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((e) => e.message).join('; ')}`);
    return document.toJS() as K8sObject;
  });
}

interface Kustomization {
  apiVersion: string;
  kind: string;
  namespace?: string;
  resources?: string[];
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  replicas?: Array<{ name: string; count: number }>;
  patches?: Array<{ path?: string; patch?: string; target?: { kind?: string; name?: string } }>;
}
const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'replicas', 'patches']);

/** Every file a build read, to find manifests no kustomization reaches. */
const filesRead = new Set<string>();

/** `kustomize build <dir>` for the fields the manifests use; throws on anything it cannot resolve. */
function build(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  filesRead.add(file);
  const [kustomization] = readYaml(file) as unknown as [Kustomization];
  const where = relative(root, file);
  if (kustomization.kind !== 'Kustomization' || kustomization.apiVersion !== 'kustomize.config.k8s.io/v1beta1') {
    throw new Error(`${where}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  const unsupported = Object.keys(kustomization).filter((field) => !KUSTOMIZATION_FIELDS.has(field));
  if (unsupported.length > 0) throw new Error(`${where}: fields this test does not resolve: ${unsupported.join(', ')}`);

  let objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = resolve(dir, resource);
    if (!existsSync(path)) throw new Error(`${where}: resource ${resource} does not exist`);
    if (statSync(path).isDirectory()) return build(path);
    filesRead.add(path);
    return readYaml(path);
  });

  for (const patch of kustomization.patches ?? []) {
    if (patch.path) {
      const path = resolve(dir, patch.path);
      filesRead.add(path);
      const [partial, ...more] = readYaml(path);
      if (!partial || more.length > 0) throw new Error(`${where}: patch ${patch.path} must hold one object`);
      const target = patch.target ?? { kind: partial.kind, name: partial.metadata.name };
      objects = patched(objects, target, `${where}: patch ${patch.path}`, (object) => strategicMerge(object, partial));
    } else if (patch.patch && patch.target) {
      const operations = parseAllDocuments(patch.patch)[0]?.toJS() as JsonPatchOperation[];
      objects = patched(objects, patch.target, `${where}: patch of ${JSON.stringify(patch.target)}`, (object) =>
        applyJsonPatch(object, operations),
      );
    } else {
      throw new Error(`${where}: a patch needs a path, or an inline patch and a target`);
    }
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const deployment = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name);
    if (!deployment) throw new Error(`${where}: replicas for ${name}, which is no Deployment`);
    (deployment.spec as { replicas?: number }).replicas = count;
  }
  for (const image of kustomization.images ?? []) {
    const containers = objects.flatMap(podSpecOf).flatMap(allContainers);
    const named = containers.filter((container) => (container.image ?? '').split(':')[0] === image.name);
    if (named.length === 0) throw new Error(`${where}: image ${image.name} is used by no container`);
    for (const container of named) {
      const [name, tag] = (container.image ?? '').split(':');
      container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? 'latest'}`;
    }
  }
  if (kustomization.namespace) {
    for (const object of objects) object.metadata.namespace = kustomization.namespace;
  }
  return objects;
}

function patched(
  objects: K8sObject[],
  target: { kind?: string; name?: string },
  what: string,
  apply: (object: K8sObject) => K8sObject,
): K8sObject[] {
  const matches = (object: K8sObject) =>
    (!target.kind || object.kind === target.kind) && (!target.name || object.metadata.name === target.name);
  if (!objects.some(matches)) throw new Error(`${what} targets no object of its base`);
  return objects.map((object) => (matches(object) ? apply(object) : object));
}

/** Kubernetes' strategic merge as the manifests use it: maps merge; lists of named items merge by name. */
function strategicMerge<T>(base: T, patch: unknown): T {
  if (Array.isArray(base) && Array.isArray(patch)) {
    const named = (list: unknown[]) => list.every((item) => typeof (item as { name?: unknown })?.name === 'string');
    if (!named(base) || !named(patch)) return patch as T;
    const merged = [...base] as Array<{ name: string }>;
    for (const item of patch as Array<{ name: string }>) {
      const at = merged.findIndex((existing) => existing.name === item.name);
      if (at === -1) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item);
    }
    return merged as T;
  }
  if (isMap(base) && isMap(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch))
      merged[key] = key in base ? strategicMerge(base[key], value) : value;
    return merged as T;
  }
  return patch as T;
}
const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface JsonPatchOperation {
  op: 'add' | 'replace';
  path: string;
  value: unknown;
}
/** RFC 6902 add and replace, the operations the overlays use; a path that does not exist fails. */
function applyJsonPatch(object: K8sObject, operations: JsonPatchOperation[]): K8sObject {
  const copy = structuredClone(object);
  for (const { op, path, value } of operations) {
    const keys = path
      .split('/')
      .slice(1)
      .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop();
    let parent: unknown = copy;
    for (const key of keys) parent = isMap(parent) ? parent[key] : undefined;
    if (
      !isMap(parent) ||
      last === undefined ||
      (op === 'replace' && !(last in parent)) ||
      !['add', 'replace'].includes(op)
    ) {
      throw new Error(`${object.kind} ${object.metadata.name}: cannot ${op} ${path}`);
    }
    parent[last] = value;
  }
  return copy;
}

const podSpecOf = (object: K8sObject): IPodSpec[] => {
  if (object.kind === 'Deployment') return [(object as unknown as IDeployment).spec!.template.spec!];
  if (object.kind === 'Job') return [(object as unknown as IJob).spec!.template.spec!];
  return [];
};
const allContainers = (pod: IPodSpec): IContainer[] => [...(pod.initContainers ?? []), ...pod.containers];
const of = <T>(objects: K8sObject[], kind: string): T[] =>
  objects.filter((object) => object.kind === kind) as unknown as T[];
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.keys(selector ?? {}).length > 0 &&
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

const secretExample = readYaml(secretExamplePath)[0] as unknown as ISecret;
const secretKeys = new Set(Object.keys({ ...secretExample.stringData, ...secretExample.data }));
const settingsOf = { auth: authSettings, router: routerSettings, billing: billingSettings, edge: edgeSettings };
type TollgateService = keyof typeof settingsOf;
/** The service a container runs, from its command (`node dist/apps/<service>/main.js`). */
const serviceOf = (container: IContainer): TollgateService | undefined =>
  (container.command ?? []).join(' ').match(/dist\/apps\/(auth|router|billing|edge)\/main\.js/)?.[1] as
    TollgateService | undefined;

describe('deploy/kubernetes/secret.example.yaml', () => {
  it('is a valid Secret', () => {
    expect(() => new Secret(secretExample).validate()).not.toThrow();
    expect(secretKeys.size).toBeGreaterThan(0);
  });
});

const builds = ['base', 'overlays/dev', 'overlays/production'];

describe.each(builds)('deploy/kubernetes/%s', (dir) => {
  const objects = build(resolve(kubernetesDir, dir));
  const deployments = of<IDeployment>(objects, 'Deployment');
  const jobs = of<IJob>(objects, 'Job');
  const services = of<IService>(objects, 'Service');
  const workloads: Array<{ name: string; pod: IPodSpec; labels: Record<string, string> }> = [
    ...deployments.map((d) => ({
      name: d.metadata!.name!,
      pod: d.spec!.template.spec!,
      labels: d.spec!.template.metadata?.labels ?? {},
    })),
    ...jobs.map((j) => ({
      name: j.metadata!.name!,
      pod: j.spec!.template.spec!,
      labels: j.spec!.template.metadata?.labels ?? {},
    })),
  ];

  it.each(objects.map((object) => [`${object.kind} ${object.metadata.name}`, object] as const))(
    '%s is valid against its API schema',
    (_, object) => {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect([object.apiVersion, object.kind, Model !== undefined]).toEqual([object.apiVersion, object.kind, true]);
      expect(() => new Model(object as never).validate()).not.toThrow();
    },
  );

  it('has no two objects of one kind and name', () => {
    const ids = objects.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(ids.filter((id, at) => ids.indexOf(id) !== at)).toEqual([]);
  });

  it('runs each service as a Deployment with its own autoscaler and disruption budget', () => {
    const run = deployments.flatMap((d) => d.spec!.template.spec!.containers.map(serviceOf));
    expect(run.sort()).toEqual(['auth', 'billing', 'edge', 'router']);
    const autoscalers = of<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    const budgets = of<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    for (const deployment of deployments) {
      const name = deployment.metadata!.name!;
      const autoscaler = autoscalers.filter(
        (hpa) => hpa.spec!.scaleTargetRef.kind === 'Deployment' && hpa.spec!.scaleTargetRef.name === name,
      );
      expect([name, autoscaler.length]).toEqual([name, 1]);
      expect(autoscaler[0].spec!.minReplicas).toBeLessThanOrEqual(autoscaler[0].spec!.maxReplicas);
      expect(deployment.spec!.replicas).toBeGreaterThanOrEqual(autoscaler[0].spec!.minReplicas ?? 1);
      const labels = deployment.spec!.template.metadata?.labels;
      expect(selects(deployment.spec!.selector.matchLabels, labels)).toBe(true);
      expect([name, budgets.filter((pdb) => selects(pdb.spec!.selector?.matchLabels, labels)).length]).toEqual([
        name,
        1,
      ]);
    }
  });

  it.each(workloads.map((w) => [w.name, w] as const))('%s runs as non-root with resources set', (_, { pod }) => {
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    for (const container of allContainers(pod)) {
      expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
      for (const bound of ['requests', 'limits'] as const) {
        expect([container.name, bound, Object.keys(container.resources?.[bound] ?? {}).sort()]).toEqual([
          container.name,
          bound,
          ['cpu', 'memory'],
        ]);
      }
    }
  });

  it.each(deployments.map((d) => [d.metadata!.name!, d] as const))(
    '%s is probed on its ops port: /livez for liveness, /readyz for readiness',
    (_, deployment) => {
      for (const container of deployment.spec!.template.spec!.containers) {
        const ports = container.ports ?? [];
        const opsPort = ports.find((port) => port.name === 'ops');
        expect(opsPort).toBeDefined();
        expect(container.livenessProbe?.httpGet?.path).toBe('/livez');
        expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
        const probes = [container.startupProbe, container.livenessProbe, container.readinessProbe].filter(
          (probe): probe is IProbe => probe !== undefined,
        );
        for (const probe of probes) {
          const port = probe.httpGet?.port;
          expect(ports.some((p) => p.name === port || p.containerPort === port)).toBe(true);
        }
      }
    },
  );

  it('gives every service its ops port on 0.0.0.0 and the port its probes use, from the ConfigMap', () => {
    const configMaps = of<IConfigMap>(objects, 'ConfigMap');
    for (const { pod } of workloads) {
      for (const container of allContainers(pod)) {
        const data = Object.assign(
          {},
          ...(container.envFrom ?? []).map(({ configMapRef }) => {
            const map = configMaps.find((m) => m.metadata!.name === configMapRef?.name);
            expect([configMapRef?.name, map !== undefined]).toEqual([configMapRef?.name, true]);
            return map?.data;
          }),
        ) as Record<string, string>;
        expect(data.OPS_HOST).toBe('0.0.0.0');
        const opsPort = container.ports?.find((port) => port.name === 'ops');
        if (opsPort) expect(String(opsPort.containerPort)).toBe(data.OPS_PORT);
      }
    }
  });

  it.each(workloads.map((w) => [w.name, w] as const))(
    '%s takes its secrets from tollgate-secrets, as files its <NAME>_FILE names',
    (_, { pod }) => {
      const secretVolumes = new Map(
        (pod.volumes ?? []).filter((v) => v.secret).map((volume) => [volume.name, volume.secret!]),
      );
      for (const volume of secretVolumes.values()) {
        expect(volume.secretName).toBe(secretExample.metadata!.name);
        for (const item of volume.items ?? []) expect([item.key, secretKeys.has(item.key)]).toEqual([item.key, true]);
      }
      for (const container of allContainers(pod)) {
        const env = new Map((container.env ?? []).map((variable) => [variable.name, variable]));
        for (const variable of env.values()) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref)
            expect([ref.name, ref.key, secretKeys.has(ref.key)]).toEqual([secretExample.metadata!.name, ref.key, true]);
        }
        // Every _FILE names a file a mounted secret volume holds.
        const files = new Set(
          (container.volumeMounts ?? []).flatMap((mount) => {
            const secret = secretVolumes.get(mount.name);
            const paths = secret?.items?.map((item) => item.path) ?? [...secretKeys];
            return secret ? paths.map((path) => `${mount.mountPath}/${path}`) : [];
          }),
        );
        for (const [name, variable] of env) {
          if (name.endsWith('_FILE')) expect([name, files.has(variable.value ?? '')]).toEqual([name, true]);
        }
        // Every secret the service reads comes from a file, none from a plain value; a migration reads the database's only.
        const service = serviceOf(container);
        expect([container.name, service]).toEqual([container.name, expect.any(String)]);
        const migrates = container.command?.includes('--migrate') ?? false;
        const secrets = migrates ? ['DATABASE_URL'] : fileSettableNames(settingsOf[service!]);
        for (const secret of secrets) {
          expect([secret, env.has(secret), env.has(`${secret}_FILE`)]).toEqual([secret, false, true]);
        }
      }
    },
  );

  it('puts no secret in a ConfigMap', () => {
    const secrets = new Set(Object.values(settingsOf).flatMap((settings) => fileSettableNames(settings)));
    for (const map of of<IConfigMap>(objects, 'ConfigMap')) {
      expect(Object.keys(map.data ?? {}).filter((key) => secrets.has(key))).toEqual([]);
    }
  });

  it('serves the edge through a Service, each port on a container port of the pods it selects', () => {
    const edge = deployments.find((d) => d.spec!.template.spec!.containers.some((c) => serviceOf(c) === 'edge'));
    expect(services.some((service) => selects(service.spec?.selector, edge?.spec!.template.metadata?.labels))).toBe(
      true,
    );
    for (const service of services) {
      const pods = workloads.filter(({ labels }) => selects(service.spec?.selector, labels));
      expect([service.metadata!.name, pods.length > 0]).toEqual([service.metadata!.name, true]);
      for (const { pod } of pods) {
        const ports = pod.containers.flatMap((container) => container.ports ?? []);
        for (const { targetPort } of service.spec?.ports ?? []) {
          expect(ports.some((port) => port.name === targetPort || port.containerPort === targetPort)).toBe(true);
        }
      }
    }
  });

  it("scrapes every service's /metrics with the ServiceMonitor, through a Service of their ops ports", () => {
    const [monitor, ...others] = of<IServiceMonitor>(objects, 'ServiceMonitor');
    expect(others).toEqual([]);
    const scraped = services.filter((service) => selects(monitor?.spec.selector.matchLabels, service.metadata?.labels));
    expect(scraped.length).toBe(1);
    const servicePorts = new Set(scraped[0].spec?.ports?.map((port) => port.name));
    for (const endpoint of monitor.spec.endpoints) {
      expect(servicePorts.has(endpoint.port)).toBe(true);
      expect(endpoint.path).toBe('/metrics');
      const credentials = endpoint.authorization?.credentials;
      expect([credentials?.name, secretKeys.has(credentials?.key ?? '')]).toEqual([secretExample.metadata!.name, true]);
    }
    const scrapedPods = deployments.filter((d) =>
      selects(scraped[0].spec?.selector, d.spec!.template.metadata?.labels),
    );
    expect(scrapedPods.length).toBe(deployments.length);
  });

  it("migrates every schema in a Job, in package.json's `migrate` order", () => {
    const script = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: { migrate: string } })
      .scripts.migrate;
    const expected = [...script.matchAll(/node (dist\/apps\/[a-z]+\/main\.js) --migrate/g)].map((m) => m[1]);
    expect(expected.length).toBe(3);
    const [job] = jobs;
    const commands = allContainers(job.spec!.template.spec!).map((container) => container.command ?? []);
    expect(commands).toEqual(expected.map((main) => ['node', main, '--migrate']));
    expect(job.spec!.template.spec!.restartPolicy).toBe('Never');
  });

  if (dir !== 'base') {
    it('puts every object in the namespace of the overlay', () => {
      const namespaces = new Set(objects.map((object) => object.metadata.namespace));
      expect(namespaces.size).toBe(1);
      expect([...namespaces][0]).toMatch(/^tollgate/);
    });

    it('runs one released image in every container', () => {
      const images = new Set(workloads.flatMap(({ pod }) => allContainers(pod).map((container) => container.image)));
      expect(images.size).toBe(1);
      expect([...images][0]).toMatch(/^tollgate:[\w.-]+$/);
    });
  }
});

describe('deploy/kubernetes', () => {
  it('has no YAML file that no kustomization reaches, but the Secret example', () => {
    const yamlFiles = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? yamlFiles(join(dir, entry.name))
          : /\.ya?ml$/.test(entry.name)
            ? [join(dir, entry.name)]
            : [],
      );
    for (const dir of builds) build(resolve(kubernetesDir, dir));
    const stray = yamlFiles(kubernetesDir).filter((file) => !filesRead.has(file) && file !== secretExamplePath);
    expect(stray.map((file) => relative(kubernetesDir, file))).toEqual([]);
    expect(basename(dirname(secretExamplePath))).toBe('kubernetes');
  });
});
