import Document, {
  type DocumentContext,
  type DocumentInitialProps,
  Head,
  Html,
  Main,
  NextScript,
} from 'next/document';
import { envScript, runtimeEnv } from '../lib/runtime-env.ts';
import type { RuntimeEnv } from '../lib/types.ts';

type Props = DocumentInitialProps & { env: RuntimeEnv };

export default class ShopDocument extends Document<Props> {
  static override async getInitialProps(ctx: DocumentContext): Promise<Props> {
    const initial = await Document.getInitialProps(ctx);
    return { ...initial, env: runtimeEnv(process.env, ctx.req?.headers.baggage) };
  }

  override render() {
    return (
      <Html lang="en">
        <Head>
          <meta name="description" content="The Astronomy Shop: telescopes, binoculars and accessories." />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: server-built JSON with < escaped */}
          <script dangerouslySetInnerHTML={{ __html: envScript(this.props.env) }} />
        </Head>
        <body>
          <Main />
          <NextScript />
        </body>
      </Html>
    );
  }
}
