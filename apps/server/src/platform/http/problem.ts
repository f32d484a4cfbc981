import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type FieldError } from '../errors';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

function problem(status: number, code: string, detail: string, requestId: string, instance: string, extra: Record<string, unknown> = {}) {
  // Details first: a detail named like a standard member (status, code...) must never overwrite it.
  return {
    ...extra,
    type: `https://touchpoint.dev/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    instance,
    requestId,
  };
}

/** Every error leaves as application/problem+json with a stable code and the request id. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let body;
    if (err instanceof AppError) {
      body = problem(err.status, err.code, err.message, req.id, req.url, err.details);
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      const errors: FieldError[] = err.validation.map((v) => ({
        path: [err.validationContext, ...(v.instancePath ? v.instancePath.split('/').filter(Boolean) : [])].join('.'),
        message: v.message ?? 'Invalid value',
      }));
      body = problem(422, 'validation_failed', 'The request did not pass validation', req.id, req.url, { errors });
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      body = problem(413, 'payload_too_large', 'The request body is too large', req.id, req.url);
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      body = problem(415, 'unsupported_media_type', 'Send JSON with Content-Type: application/json', req.id, req.url);
    } else if (
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' ||
      (err.statusCode === 400 && err instanceof SyntaxError)
    ) {
      body = problem(400, 'bad_request', 'The request body is not valid JSON', req.id, req.url);
    } else if (err.statusCode === 429) {
      body = problem(429, 'rate_limited', err.message || 'Too many requests, slow down', req.id, req.url);
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      body = problem(err.statusCode, 'bad_request', err.message, req.id, req.url);
    } else {
      if (isResponseSerializationError(err)) req.log.error({ err, issues: err.cause?.issues }, 'response did not match its schema');
      else req.log.error({ err }, 'unhandled error');
      body = problem(500, 'internal', 'Something went wrong on our side; the request id helps us find it', req.id, req.url);
    }
    void reply.status(body.status).type('application/problem+json').send(body);
  });
}

/** The 404 of unknown routes, as problem+json (app.ts decides when the web app's index.html is served instead). */
export function sendRouteNotFound(req: FastifyRequest, reply: FastifyReply): void {
  void reply
    .status(404)
    .type('application/problem+json')
    .send(problem(404, 'not_found', `No route for ${req.method} ${req.url.split('?')[0]}`, req.id, req.url));
}
