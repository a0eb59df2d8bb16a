// Defaulting the real server does on every write (SetDefaults_* and the create strategies),
// for the kinds regctl manages, so that what a client reads back carries the same extra
// fields as on a real cluster (a client comparing desired with live state must cope).
import type { KubeObject } from '../../src/plan/types.js';
import type { Profile, ResourceDef } from './discovery.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(o: Obj, key: string): Obj {
  if (!isObj(o[key])) o[key] = {};
  return o[key] as Obj;
}

function list(o: Obj, key: string): Obj[] {
  return Array.isArray(o[key]) ? (o[key] as unknown[]).filter(isObj) : [];
}

/** Defaults for a new object, including what its create strategy resets (status). */
export function defaultOnCreate(def: ResourceDef, obj: KubeObject, profile: Profile): void {
  defaultOnWrite(def, obj, profile);
  switch (`${def.group}/${def.kind}`) {
    case '/Service':
      obj.status = { loadBalancer: {} };
      break;
    case '/Namespace':
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      break;
    case '/Pod':
      obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    case '/PersistentVolumeClaim':
      obj.status = { phase: 'Pending' };
      break;
    case 'apps.openshift.io/DeploymentConfig':
      obj.status = { latestVersion: 0, observedGeneration: 0, replicas: 0, updatedReplicas: 0, availableReplicas: 0, unavailableReplicas: 0 };
      break;
    case 'route.openshift.io/Route':
      // The host is allocated by the server (StartOptions.routeSubdomain), see server.ts.
      obj.status = { ingress: [] };
      break;
    default:
      // Strategies of kinds with a status subresource drop the status a client sends on create.
      if (def.statusSubresource) {
        if (def.custom) delete obj.status;
        else obj.status = {};
      }
  }
}

/** Defaults applied to every create, replace and patch result. */
export function defaultOnWrite(def: ResourceDef, obj: KubeObject, profile: Profile): void {
  const o = obj as Obj;
  switch (`${def.group}/${def.kind}`) {
    case '/Service':
      defaultService(o, profile);
      break;
    case '/Secret':
      defaultSecret(o);
      break;
    case '/Namespace':
      // Kubernetes 1.21+ labels every namespace with its name (not OpenShift 3.11's 1.11).
      if (profile !== 'openshift3') obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    case '/Pod':
      defaultPodSpec(child(o, 'spec'));
      break;
    case 'apps/Deployment': {
      const spec = child(o, 'spec');
      spec.replicas ??= 1;
      const strategy = child(spec, 'strategy');
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = child(strategy, 'rollingUpdate');
        ru.maxUnavailable ??= '25%';
        ru.maxSurge ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      defaultPodTemplate(spec);
      break;
    }
    case 'apps/DaemonSet': {
      const spec = child(o, 'spec');
      const strategy = child(spec, 'updateStrategy');
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = child(strategy, 'rollingUpdate');
        ru.maxUnavailable ??= 1;
        ru.maxSurge ??= 0;
      }
      spec.revisionHistoryLimit ??= 10;
      defaultPodTemplate(spec);
      break;
    }
    case 'apps/ReplicaSet': {
      const spec = child(o, 'spec');
      spec.replicas ??= 1;
      defaultPodTemplate(spec);
      break;
    }
    case 'apps.openshift.io/DeploymentConfig': {
      const spec = child(o, 'spec');
      const strategy = child(spec, 'strategy');
      strategy.type ??= 'Rolling';
      if (strategy.type === 'Rolling') {
        const rp = child(strategy, 'rollingParams');
        rp.updatePeriodSeconds ??= 1;
        rp.intervalSeconds ??= 1;
        rp.timeoutSeconds ??= 600;
        rp.maxUnavailable ??= '25%';
        rp.maxSurge ??= '25%';
      }
      if (strategy.type === 'Recreate') child(strategy, 'recreateParams').timeoutSeconds ??= 600;
      strategy.resources ??= {};
      strategy.activeDeadlineSeconds ??= 21600;
      spec.triggers ??= [{ type: 'ConfigChange' }];
      spec.replicas ??= 0;
      spec.revisionHistoryLimit ??= 10;
      spec.test ??= false;
      defaultPodTemplate(spec);
      break;
    }
    case 'route.openshift.io/Route': {
      const spec = child(o, 'spec');
      const to = child(spec, 'to');
      to.kind ??= 'Service';
      to.weight ??= 100;
      spec.wildcardPolicy ??= 'None';
      break;
    }
  }
}

/** Secrets: `stringData` is write-only; the server folds it into `data` (base64). */
export function defaultSecret(o: Obj): void {
  o.type ??= 'Opaque';
  const stringData = o.stringData;
  if (isObj(stringData)) {
    const data = isObj(o.data) ? o.data : {};
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    o.data = data;
  }
  delete o.stringData;
}

function defaultService(o: Obj, profile: Profile): void {
  const s = child(o, 'spec');
  s.type ??= 'ClusterIP';
  s.sessionAffinity ??= 'None';
  for (const p of list(s, 'ports')) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  if (profile !== 'openshift3' && s.type !== 'ExternalName') {
    s.ipFamilies ??= ['IPv4'];
    s.ipFamilyPolicy ??= 'SingleStack';
    s.internalTrafficPolicy ??= 'Cluster';
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
}

function defaultPodTemplate(spec: Obj): void {
  const template = child(spec, 'template');
  defaultPodSpec(child(template, 'spec'));
}

function defaultPodSpec(pod: Obj): void {
  pod.restartPolicy ??= 'Always';
  pod.terminationGracePeriodSeconds ??= 30;
  pod.dnsPolicy ??= 'ClusterFirst';
  pod.securityContext ??= {};
  pod.schedulerName ??= 'default-scheduler';
  for (const c of [...list(pod, 'initContainers'), ...list(pod, 'containers')]) defaultContainer(c);
  for (const v of list(pod, 'volumes')) {
    if (isObj(v.secret)) v.secret.defaultMode ??= 420;
    if (isObj(v.configMap)) v.configMap.defaultMode ??= 420;
    if (isObj(v.hostPath)) v.hostPath.type ??= '';
  }
}

function defaultContainer(c: Obj): void {
  const image = typeof c.image === 'string' ? c.image : '';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = image.includes('@') ? undefined : lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : 'latest';
  c.imagePullPolicy ??= tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of list(c, 'ports')) p.protocol ??= 'TCP';
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr = c[probe];
    if (!isObj(pr)) continue;
    pr.timeoutSeconds ??= 1;
    pr.periodSeconds ??= 10;
    pr.successThreshold ??= 1;
    pr.failureThreshold ??= 3;
    if (isObj(pr.httpGet)) {
      pr.httpGet.path ??= '/';
      pr.httpGet.scheme ??= 'HTTP';
    }
  }
  for (const e of list(c, 'env')) {
    const ref = isObj(e.valueFrom) && isObj(e.valueFrom.fieldRef) ? e.valueFrom.fieldRef : undefined;
    if (ref) ref.apiVersion ??= 'v1';
  }
}
