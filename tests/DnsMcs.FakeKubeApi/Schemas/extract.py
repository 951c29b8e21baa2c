#!/usr/bin/env python3
"""Extracts the component schemas the fake validates built-in objects against from the OpenAPI v3
documents a real kube-apiserver v1.32 serves (recorded as ../shared/kube-api/openapi-v3-*.json, each
a '# GET ...' header, a status line, headers, then the JSON body).

    python3 tests/DnsMcs.FakeKubeApi/Schemas/extract.py ../shared/kube-api > tests/DnsMcs.FakeKubeApi/Schemas/builtin-schemas.json

Keeps the roots below and every schema they reference, minus descriptions (2.9 MB -> a few dozen KB);
nothing else is changed, so the validation rules (type, required, enum, format, list types) are the server's."""
import json, os, sys

ROOTS = {
    'openapi-v3-core-v1.json': ['io.k8s.api.core.v1.Service', 'io.k8s.api.core.v1.Namespace'],
    'openapi-v3-discovery-v1.json': ['io.k8s.api.discovery.v1.EndpointSlice'],
    'openapi-v3-coordination-v1.json': ['io.k8s.api.coordination.v1.Lease'],
}

def load(path):
    text = open(path, encoding='utf-8').read()
    return json.loads(text[text.index('\n{'):])

def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != 'description'}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node

def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == '$ref':
                yield v.rsplit('/', 1)[-1]
            else:
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)

out = {}
for file, roots in ROOTS.items():
    schemas = load(os.path.join(sys.argv[1], file))['components']['schemas']
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out[name] = strip(schemas[name])
        todo.extend(refs(out[name]))

json.dump({'source': 'kube-apiserver v1.32 /openapi/v3, see extract.py', 'schemas': dict(sorted(out.items()))}, sys.stdout, indent=1, sort_keys=False)
print()
