// file and image: the storage path of an upload (uploads/report.pdf), set through the upload route.
import { BASE_RULES, ok, plainTextCheck, textColumn, type FieldTypeDescriptor } from './descriptor.js';

function upload(example: string, extension: string): FieldTypeDescriptor {
  return textColumn(
    2048,
    example,
    {
      check: plainTextCheck,
      parseDefault: (raw) => ok(raw),
      schema: () => ({ type: 'string' }),
      fake: (_field, faker) => `uploads/${faker.system.commonFileName(extension)}`,
      invalid: { body: [42] },
    },
    { searchable: false, rules: [...BASE_RULES, 'max'] },
  );
}

export const file = upload('"uploads/report.pdf"', 'pdf');
export const image = upload('"uploads/avatar.png"', 'png');
