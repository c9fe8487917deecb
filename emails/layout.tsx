import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { TFunction } from "i18next";

/** What every template receives: a translator bound to the recipient's language and the emails namespace. */
export type EmailProps<P> = P & { t: TFunction; locale: string };

const styles = {
  body: { backgroundColor: "#f4f6f8", fontFamily: "'PingFang SC','Microsoft YaHei','Helvetica Neue',Arial,sans-serif", margin: 0 },
  container: { backgroundColor: "#ffffff", margin: "24px auto", maxWidth: "560px", padding: "32px", borderRadius: "8px" },
  brand: { color: "#0b5cad", fontSize: "20px", fontWeight: 700, margin: "0 0 24px" },
  footer: { color: "#6b7280", fontSize: "12px", lineHeight: "18px", margin: "4px 0" },
};

export function EmailLayout({ t, locale, preview, children }: { t: TFunction; locale: string; preview: string; children: React.ReactNode }) {
  return (
    <Html lang={locale}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>OpenLab 开放实验室</Text>
          <Section>{children}</Section>
          <Hr />
          <Text style={styles.footer}>{t("layout.automated")}</Text>
          <Text style={styles.footer}>{t("layout.footer")}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const textStyle = { color: "#1f2937", fontSize: "15px", lineHeight: "24px" };
const buttonStyle = {
  backgroundColor: "#0b5cad",
  borderRadius: "6px",
  color: "#ffffff",
  display: "inline-block",
  fontSize: "15px",
  fontWeight: 600,
  padding: "12px 20px",
  textDecoration: "none",
};
const linkStyle = { color: "#0b5cad", fontSize: "13px", wordBreak: "break-all" as const };

/** The message's one action: a button, and the same link written out for clients that drop buttons. */
export function ActionLink({ t, href, label }: { t: TFunction; href: string; label: string }) {
  return (
    <>
      <Button href={href} style={buttonStyle}>
        {label}
      </Button>
      <Text style={textStyle}>{t("fallback")}</Text>
      <Link href={href} style={linkStyle}>
        {href}
      </Link>
    </>
  );
}
