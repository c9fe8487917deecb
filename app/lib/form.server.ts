const forms = new WeakMap<Request, Promise<FormData>>();

/**
 * The request's form, parsed once: the CSRF check and the action read the same body, which a
 * request can give only once (cloning it to read twice costs a second parse and a stream copy).
 */
export function formOf(request: Request): Promise<FormData> {
  let form = forms.get(request);
  if (!form) forms.set(request, (form = request.formData()));
  return form;
}
