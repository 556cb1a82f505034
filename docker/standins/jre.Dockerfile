# Stand-in for eclipse-temurin:<N>-jre (see docker/offline-images.sh): the context is a jlink image.
FROM debian:bookworm-slim
COPY java /opt/java
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["jshell"]
