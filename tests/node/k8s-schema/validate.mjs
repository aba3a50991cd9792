// Validates Kubernetes objects (multi-document YAML on stdin, e.g. `kubectl kustomize dapr/k8s`) against the
// Kubernetes OpenAPI schemas (kubernetes-models) and, for dapr.io objects, against Dapr's CRD schemas
// (dapr-crds/, copied from dapr/dapr charts/dapr/crds). An object of a kind with no schema here is an error,
// so nothing passes unchecked. Prints one line per problem; exit code 1 when there is any.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { Service, Secret, ConfigMap } from "kubernetes-models/v1";
import { Job } from "kubernetes-models/batch/v1";

const core = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "v1/Service": Service,
  "v1/Secret": Secret,
  "v1/ConfigMap": ConfigMap,
  "batch/v1/Job": Job,
};

// Dapr's CRDs: one openAPIV3Schema per kind and version. As the API server's strict field validation does,
// a field the schema does not declare is an error (unless the schema keeps unknown fields).
const ajv = new Ajv({ allErrors: true, strict: false, formats: { int32: true, int64: true, "date-time": true } });
function closed(schema) {
  if (schema && typeof schema === "object") {
    if (schema.properties && schema.additionalProperties === undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
      schema.additionalProperties = false;
    }
    for (const value of Object.values(schema)) closed(value);
  }
  return schema;
}
const dapr = {};
for (const file of ["components", "configuration", "subscription"]) {
  for (const doc of parseAllDocuments(readFileSync(new URL(`dapr-crds/${file}.yaml`, import.meta.url), "utf8"))) {
    const crd = doc.toJS();
    if (crd?.kind !== "CustomResourceDefinition") continue;
    for (const version of crd.spec.versions) {
      dapr[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = ajv.compile(closed(version.schema.openAPIV3Schema));
    }
  }
}

const problems = [];
const input = readFileSync(0, "utf8");
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length > 0) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const object = doc.toJS();
  if (object == null) continue;
  const key = `${object.apiVersion}/${object.kind}`;
  const name = `${key} ${object.metadata?.name ?? "(no name)"}`;
  if (core[key]) {
    try {
      new core[key](object).validate();
    } catch (error) {
      problems.push(`${name}: ${error.message}`);
    }
  } else if (dapr[key]) {
    if (!dapr[key](object)) problems.push(`${name}: ${ajv.errorsText(dapr[key].errors)}`);
  } else {
    problems.push(`${name}: no schema for this kind here (add it to validate.mjs)`);
  }
}
for (const problem of problems) console.log(problem);
console.log(`${problems.length === 0 ? "valid" : "invalid"}: ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
