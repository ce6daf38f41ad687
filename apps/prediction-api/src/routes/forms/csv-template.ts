// The CSV template of a model page: the header of feature names and one example row, written by Papa Parse (the
// library the page parses uploads with), so what it writes is what the page reads back.
import { exampleInstance, type ModelSpec } from '@onnx-serve/feature-spec';
import Papa from 'papaparse';

export function csvTemplate(spec: ModelSpec): string {
  const example = exampleInstance(spec);
  const fields = spec.features.map((feature) => feature.name);
  return `${Papa.unparse({ fields, data: [fields.map((name) => example[name])] }, { newline: '\n' })}\n`;
}
