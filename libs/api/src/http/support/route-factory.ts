/**
 * Routes built from data (the command registry's write routes, the stream reads): the parameter and method
 * decorators of a Nest route handler applied by code, with the parameter types TypeScript would have
 * recorded had they been written above the method.
 */
import { Body, Param, Req, Res, type PipeTransform, type Type } from '@nestjs/common';

export type RouteArgument =
  | { readonly param: string; readonly pipe: Type<PipeTransform<string, string>> }
  | { readonly body: Type<unknown> }
  | 'request'
  | 'response';

function reflectedType(argument: RouteArgument): unknown {
  if (typeof argument !== 'object') return Object;
  return 'body' in argument ? argument.body : String;
}

/**
 * Declares `method` of `controller` as a route: its arguments in order, and its method decorators as they
 * would be written, top down (applied bottom-up, like decorators above a method).
 */
export function decorateRoute(
  controller: Type<unknown>,
  method: string,
  args: readonly RouteArgument[],
  decorators: readonly MethodDecorator[],
): void {
  const prototype = controller.prototype as object;
  args.forEach((argument, index) => {
    if (argument === 'request') Req()(prototype, method, index);
    else if (argument === 'response') Res({ passthrough: true })(prototype, method, index);
    else if ('param' in argument) Param(argument.param, argument.pipe)(prototype, method, index);
    else Body()(prototype, method, index);
  });
  // A body's class is what the ValidationPipe validates against and what the OpenAPI document names.
  Reflect.defineMetadata('design:paramtypes', args.map(reflectedType), prototype, method);
  const descriptor = Object.getOwnPropertyDescriptor(prototype, method) as PropertyDescriptor;
  for (const decorate of [...decorators].reverse()) decorate(prototype, method, descriptor);
}

/** A generated controller's class name: what Nest logs and what the OpenAPI operation ids start with. */
export function named<T extends Type<unknown>>(controller: T, name: string): T {
  Object.defineProperty(controller, 'name', { value: name });
  return controller;
}
