// What a ZipMap node says about its classes, and the tensor type its output becomes once it is an Identity.
import {
  AttributeField,
  attributeFields,
  DimField,
  ShapeField,
  TensorTypeField,
  TypeField,
  elemTypeFloat,
  fieldsNumbered,
  type NodeView,
} from './onnx-proto';
import { bytesField, concatBytes, int64sOf, stringOf, varintField } from './protobuf-wire';

/** The class keys in column order: classlabels_int64s as numbers, or classlabels_strings. */
export function zipMapClassLabels(node: NodeView): (number | string)[] {
  const ints = attributeFields(node, 'classlabels_int64s');
  if (ints) return int64sOf(fieldsNumbered(ints, AttributeField.ints)).map(Number);
  const strings = attributeFields(node, 'classlabels_strings');
  if (strings) return fieldsNumbered(strings, AttributeField.strings).map(stringOf);
  return [];
}

/** TypeProto of a float tensor [N, classes]: N left dynamic (an empty dimension, as skl2onnx writes it). */
export function float32TensorType(classes: number): Uint8Array {
  const batchDim = bytesField(ShapeField.dim, new Uint8Array());
  const classDim = bytesField(ShapeField.dim, classes > 0 ? varintField(DimField.value, classes) : new Uint8Array());
  const tensorType = concatBytes([
    varintField(TensorTypeField.elemType, elemTypeFloat),
    bytesField(TensorTypeField.shape, concatBytes([batchDim, classDim])),
  ]);
  return bytesField(TypeField.tensorType, tensorType);
}
