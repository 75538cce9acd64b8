import { Query, Resolver } from '@nestjs/graphql';
import { Public } from '../access/access.decorators.js';

@Resolver()
@Public()
export class HealthResolver {
  @Query(() => String, { description: 'Always "ok" when the API answers' })
  health(): string {
    return 'ok';
  }
}
